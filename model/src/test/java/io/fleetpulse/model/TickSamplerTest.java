package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast path must be the model, bit for bit: every field of every sample, and which samples exist at all. */
class TickSamplerTest {

  /** Every fault frequent, reloads daily, checkpoints often, three generations: every cache gets invalidated. */
  static final Map<String, String> STRESS = Map.ofEntries(
      Map.entry("fleet.chips", "6400"),
      Map.entry("fleet.generation_mix", "{trn1: 0.2, trn2: 0.5, trn3: 0.3}"),
      Map.entry("faults.silent_share", "0.3"),
      Map.entry("faults.silent_duration", "5h"),
      Map.entry("faults.power_cap_share", "0.5"),
      Map.entry("faults.power_cap_duration", "7h"),
      Map.entry("faults.ecc_burst_per_chip_day", "0.9"),
      Map.entry("faults.ecc_uncorrected_per_burst", "0.5"),
      Map.entry("faults.driver_reload_days", "1.3"),
      Map.entry("faults.straggler_share", "0.2"),
      Map.entry("workloads.checkpoint_every", "7m"),
      Map.entry("workloads.checkpoint_duration", "3m"));

  @Test
  void defaultFleetAcrossUtcMidnight() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "6400")));
    compareConsecutive(model, 0, 6400, 64, tickAt(model, "2026-11-24T23:30:00Z"), 400);
  }

  @Test
  void stressedFleetOverTwoDaysAtOneMinute() {
    Map<String, String> cfg = new java.util.HashMap<>(STRESS);
    cfg.put("fleet.interval", "1m");
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, cfg));
    compareConsecutive(model, 1000, 1700, 1, tickAt(model, "2026-06-01T20:00:00Z"), 2 * 1440);
  }

  @Test
  void daylightSavingChangesAtEverySite() {
    Map<String, String> cfg = new java.util.HashMap<>(STRESS);
    cfg.put("fleet.interval", "30s");
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, cfg));
    // US clocks go forward on 2026-03-08 and back on 2026-11-01, at 02:00 local: 06:00-08:00 UTC across the sites.
    compareConsecutive(model, 0, 6400, 97, tickAt(model, "2026-03-08T05:00:00Z"), 4 * 120);
    compareConsecutive(model, 0, 6400, 97, tickAt(model, "2026-11-01T05:00:00Z"), 4 * 120);
  }

  @Test
  void shardsThatCutUltraServersInHalf() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, STRESS));
    long tick = tickAt(model, "2026-11-25T11:00:00Z");
    compareConsecutive(model, 31, 97, 1, tick, 360);
    compareConsecutive(model, 6400 - 97, 6400 - 33, 1, tick, 360); // the end of an UltraServer and half the next
    // One chip alone, for longer than a silent episode lasts.
    compareConsecutive(model, 64 * 20 + 5, 64 * 20 + 6, 1, tick, 6 * 360);
  }

  @Test
  void ticksInAnyOrder() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, STRESS));
    TickSampler sampler = new TickSampler(model, 640, 1280);
    SplittableRandom random = new SplittableRandom(7);
    long base = tickAt(model, "2026-11-25T00:00:00Z");
    Sample fast = new Sample();
    Sample pure = new Sample();
    for (int i = 0; i < 300; i++) {
      // Jumps of up to ten days either way: across reloads, days and hours, backwards too.
      long tick = base + random.nextLong(-86_400, 86_400);
      sampler.tick(tick);
      for (int chip = 640; chip < 1280; chip += 5) assertSame(model, sampler, chip, tick, fast, pure);
    }
  }

  @Test
  void oneSecondInterval() {
    FleetModel model = new FleetModel(
        FleetConfigLoader.load(null, Map.of("fleet.chips", "1280", "fleet.interval", "1s")));
    compareConsecutive(model, 0, 1280, 1, tickAt(model, "2026-11-25T23:59:00Z"), 120);
  }

  @Test
  void rejectsChipsOutsideTheFleet() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "640")));
    assertThatThrownBy(() -> new TickSampler(model, 0, 641)).hasMessageContaining("not inside the fleet's 640 chips");
  }

  private static long tickAt(FleetModel model, String instant) {
    return model.tickOf(Instant.parse(instant).toEpochMilli());
  }

  private static void compareConsecutive(FleetModel model, int from, int to, int chipStep, long firstTick, int ticks) {
    TickSampler sampler = new TickSampler(model, from, to);
    Sample fast = new Sample();
    Sample pure = new Sample();
    int present = 0;
    for (long tick = firstTick; tick < firstTick + ticks; tick++) {
      sampler.tick(tick);
      for (int chip = from; chip < to; chip += chipStep) {
        if (assertSame(model, sampler, chip, tick, fast, pure)) present++;
      }
    }
    assertThat(present).as("samples compared").isGreaterThan(0);
  }

  private static boolean assertSame(FleetModel model, TickSampler sampler, int chip, long tick, Sample fast,
      Sample pure) {
    boolean f = sampler.sample(chip, fast);
    boolean p = model.sample(chip, tick, pure);
    assertThat(f).as("chip %d tick %d present", chip, tick).isEqualTo(p);
    if (p) assertThat(fields(fast)).as("chip %d tick %d", chip, tick).isEqualTo(fields(pure));
    return p;
  }

  /** Every field, doubles as their raw bits. */
  static String fields(Sample s) {
    return s.chip + "," + s.instance + "," + s.ultraserver + "," + s.site + "," + s.generation + "," + s.workload + "," + s.tenant + ","
        + s.activity + "," + s.eventTimeMs + "," + s.intervalMs + "," + Double.doubleToRawLongBits(s.utilization) + ","
        + Double.doubleToRawLongBits(s.hbmUsedGib) + "," + Double.doubleToRawLongBits(s.powerW) + ","
        + Double.doubleToRawLongBits(s.renewableShare) + "," + s.eccCorrectedTotal + "," + s.eccUncorrectedTotal;
  }
}
