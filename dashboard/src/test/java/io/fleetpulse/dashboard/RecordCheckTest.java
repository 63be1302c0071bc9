package io.fleetpulse.dashboard;

import static io.fleetpulse.dashboard.FleetBoardTest.assertRejected;
import static io.fleetpulse.dashboard.TestRecords.T0;
import static io.fleetpulse.dashboard.TestRecords.ultraserver;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.testing.ModelledWindows;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The checks refuse the impossible, and never what the job writes. */
class RecordCheckTest {

  private final RecordCheck check = new RecordCheck(FleetBounds.defaults());

  @Test
  void everyWindowTheJobWouldWritePassesRollUpsIncluded() {
    // Three generations and the fastest sample interval: the widest spread of real figures.
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "3072",
        "fleet.interval", "1s", "fleet.generation_mix", "{trn1: 0.3, trn2: 0.4, trn3: 0.3}")));
    ModelledWindows windows = new ModelledWindows(model, Duration.ofMinutes(1));
    List<WindowMetrics> all = new ArrayList<>();
    for (int w = 0; w < 3; w++) all.addAll(windows.window(T0 + w * 60_000L));
    assertThat(all).hasSizeGreaterThan(100);
    for (WindowMetrics m : all) check.window(m);

    // Roll-ups the way the job makes them: add the UltraServers' sums, derive the ratios once.
    for (long start : all.stream().map(m -> m.getWindowStart().toEpochMilli()).distinct().toList()) {
      MetricSums fleet = new MetricSums();
      Map<String, MetricSums> sites = new TreeMap<>();
      for (WindowMetrics m : all) {
        if (m.getWindowStart().toEpochMilli() != start) continue;
        fleet.add(MetricSums.of(m));
        sites.computeIfAbsent(m.getSite(), s -> new MetricSums()).add(MetricSums.of(m));
      }
      double gpu = all.get(0).getGpuReferenceUsdPerPflop();
      check.window(fleet.toWindowMetrics(AggregationLevel.FLEET, start, start + 60_000, null, null, null, gpu));
      sites.forEach((site, sums) ->
          check.window(sums.toWindowMetrics(AggregationLevel.SITE, start, start + 60_000, null, site, null, gpu)));
    }
  }

  @Test
  void sitesAndGenerationsComeFromTheFleetConfigTheJobWasGiven() {
    WindowMetrics elsewhere = WindowMetrics.newBuilder(ultraserver(T0, 1, "eu-north", 0.5f)).setGeneration("trn9")
        .build();
    assertRejected(() -> check.window(elsewhere), SkipReason.UNKNOWN_SITE, "'eu-north'");

    RecordCheck theirs = new RecordCheck(new FleetBounds(Set.of("eu-north"), Set.of("trn9"), 64));
    assertThat(theirs.window(elsewhere).getN()).isEqualTo(1);
  }

  @Test
  void figuresBeyondPhysicsAreRefusedNamingTheField() {
    WindowMetrics m = ultraserver(T0, 1, "us-in", 0.5f, 0.6f);
    assertRejected(() -> check.window(WindowMetrics.newBuilder(m).setUtilizationSum(2.5).build()),
        SkipReason.BAD_VALUE, "utilization_sum");
    assertRejected(() -> check.window(WindowMetrics.newBuilder(m).setFacilityEnergyKwh(m.getItEnergyKwh() / 2).build()),
        SkipReason.BAD_VALUE, "facility_energy_kwh");
    assertRejected(() -> check.window(WindowMetrics.newBuilder(m).setCarbonMarketKg(m.getCarbonLocationKg() * 2).build()),
        SkipReason.BAD_VALUE, "carbon_market_kg");
    assertRejected(() -> check.window(WindowMetrics.newBuilder(m).setCostUsd(1e6).build()),
        SkipReason.BAD_VALUE, "cost_usd");
    assertRejected(() -> check.window(WindowMetrics.newBuilder(m).setGpuReferenceUsdPerPflop(Double.NaN).build()),
        SkipReason.BAD_VALUE, "gpu_reference_usd_per_pflop");
    assertRejected(() -> check.window(WindowMetrics.newBuilder(m).setUltraservers(2).build()),
        SkipReason.BAD_VALUE, "counts 2 UltraServers");
    assertRejected(() -> check.window(WindowMetrics.newBuilder(m).setWindowStart(
        java.time.Instant.ofEpochMilli(T0 + 7)).build()), SkipReason.BAD_TIME, "not a tumbling window");
  }
}
