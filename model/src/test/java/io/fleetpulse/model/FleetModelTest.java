package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetModelTest {

  private final FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "64000")));

  @Test
  void sameInputsGiveTheSameSample() {
    FleetModel again = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "64000")));
    Sample a = new Sample();
    Sample b = new Sample();
    for (int chip = 0; chip < 64_000; chip += 997) {
      for (long tick = 176_400_000L; tick < 176_400_050L; tick += 7) {
        boolean pa = model.sample(chip, tick, a);
        boolean pb = again.sample(chip, tick, b);
        assertThat(pb).isEqualTo(pa);
        if (pa) assertThat(b.toString()).isEqualTo(a.toString());
      }
    }
  }

  @Test
  void valuesStayInsideTheirPhysicalRanges() {
    Sample s = new Sample();
    long tick0 = 176_400_000L;
    int seen = 0;
    for (int chip = 0; chip < 64_000; chip += 13) {
      for (long tick = tick0; tick < tick0 + 8640; tick += 611) {
        if (!model.sample(chip, tick, s)) continue;
        seen++;
        FleetConfig.Generation g = model.generationOf(s.ultraserver);
        assertThat(s.utilization).isBetween(0.0, 1.0);
        assertThat(s.hbmUsedGib).isBetween(0.0, g.hbmGib());
        assertThat(s.powerW).isBetween(0.0, g.maxPowerW());
        assertThat(s.renewableShare).isBetween(0.0, 1.0);
        assertThat(s.eventTimeMs).isBetween(tick * 10_000, tick * 10_000 + 9_999);
        assertThat(s.eccCorrectedTotal).isNotNegative();
      }
    }
    assertThat(seen).isGreaterThan(50_000);
  }

  @Test
  void maintenanceUltraServersSendNothing() {
    Sample s = new Sample();
    FleetLayout layout = model.layout();
    int us = 0;
    while (layout.placement(us) != Placement.MAINTENANCE) us++;
    for (int chip = us * 64; chip < us * 64 + 64; chip++) {
      assertThat(model.sample(chip, 176_400_000L, s)).isFalse();
    }
  }

  @Test
  void eccCountersNeverDecreaseBetweenDriverReloads() {
    FleetModel bursty = new FleetModel(FleetConfigLoader.load(null,
        Map.of("fleet.chips", "640", "faults.ecc_burst_per_chip_day", "1")));
    Sample s = new Sample();
    int resets = 0;
    for (int chip = 0; chip < 640; chip += 3) {
      long prev = -1;
      for (long tick = 176_400_000L; tick < 176_400_000L + 8640 * 10; tick += 360) {
        bursty.eccCounters(chip, tick * 10_000, s);
        if (s.eccCorrectedTotal < prev) resets++;
        prev = s.eccCorrectedTotal;
      }
    }
    // Ten days cover at most two reloads per chip (every 7 days): anything more is a counter going backwards.
    assertThat(resets).isLessThanOrEqualTo(2 * 214).isGreaterThan(0);
  }
}
