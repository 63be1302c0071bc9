package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the fleet runs shows in the samples as configured: inference follows its day curve in each site's local
 * time, flex UltraServers serve by day and train by night, training chips of a job move together and pause together
 * for checkpoints. Expected values come from the config's numbers and java.time, not from the model's code.
 */
class WorkloadBehaviourTest {

  static final Map<String, String> ONE_MINUTE = Map.of("fleet.chips", "6400", "fleet.interval", "1m");

  /** The configured inference day curve at a local hour (cosine from trough to peak, twelve hours apart). */
  static double inferenceCurve(FleetConfig.Workloads w, double localHour) {
    double trough = (w.inferencePeakHour() + 12) % 24;
    return w.inferenceTroughUtilization() + (w.inferencePeakUtilization() - w.inferenceTroughUtilization())
        * (1 - Math.cos(2 * Math.PI * (localHour - trough) / 24)) / 2;
  }

  static int localHour(FleetConfig.Site site, long epochMs) {
    return Instant.ofEpochMilli(epochMs).atZone(site.timezone()).getHour();
  }

  /** Mean utilization of one placement's samples by site and local wall-clock hour, over two days. */
  static double[][] meanByLocalHour(FleetRun run, Placement placement, String from) {
    double[][] sum = new double[3][24];
    int[][] n = new int[3][24];
    FleetConfig cfg = run.model.config();
    // Every 4th chip: the noise that does not average out over the hour is the UltraServers', shared by its chips.
    run.walk(0, run.model.layout().chips(), 4, run.tickAt(from), 2 * 1440, 1, (tick, s) -> {
      if (run.model.layout().placement(s.ultraserver) != placement) return;
      int h = localHour(cfg.sites().get(s.site), tick * run.model.intervalMs());
      sum[s.site][h] += s.utilization;
      n[s.site][h]++;
    });
    for (int site = 0; site < 3; site++) {
      for (int h = 0; h < 24; h++) sum[site][h] /= n[site][h];
    }
    return sum;
  }

  @Test
  void inferenceFollowsTheConfiguredDayCurveInEachSitesLocalTime() {
    for (int peakHour : new int[] {15, 10}) {
      Map<String, String> cfg = new HashMap<>(ONE_MINUTE);
      cfg.put("workloads.inference_peak_hour", Integer.toString(peakHour));
      FleetRun run = new FleetRun(cfg);
      FleetConfig.Workloads w = run.model.config().workloads();
      // Summer: all three sites on daylight saving time, two different UTC offsets.
      double[][] mean = meanByLocalHour(run, Placement.INFERENCE, "2026-07-14T00:00:00Z");
      for (int site = 0; site < 3; site++) {
        int busiest = 0;
        for (int h = 0; h < 24; h++) {
          assertThat(mean[site][h]).as("site %d, local %02d:00", site, h)
              .isCloseTo(inferenceCurve(w, h + 0.5), offset(0.02));
          if (mean[site][h] > mean[site][busiest]) busiest = h;
        }
        // The curve is flat at its top: the busiest hour is the peak hour or the one before it (its half-hour
        // midpoint straddles the peak).
        assertThat(busiest).as("busiest local hour at site %d", site).isBetween(peakHour - 1, peakHour);
      }
    }
  }

  @Test
  void flexServesInferenceByLocalDayAndTrainsAtNight() {
    FleetRun run = new FleetRun(ONE_MINUTE);
    FleetConfig cfg = run.model.config();
    FleetConfig.Workloads w = cfg.workloads();
    int[][] training = new int[3][24];
    int[][] all = new int[3][24];
    run.walk(0, run.model.layout().chips(), 3, run.tickAt("2026-01-20T00:00:00Z"), 1440, 1, (tick, s) -> {
      if (run.model.layout().placement(s.ultraserver) != Placement.FLEX) return;
      int h = localHour(cfg.sites().get(s.site), tick * run.model.intervalMs());
      all[s.site][h]++;
      if (s.activity == Activity.TRAINING) training[s.site][h]++;
    });
    for (int site = 0; site < 3; site++) {
      for (int h = 0; h < 24; h++) {
        boolean day = h >= w.flexDayStartHour() && h < w.flexDayEndHour();
        assertThat(training[site][h]).as("site %d local %02d:00", site, h).isEqualTo(day ? 0 : all[site][h]);
      }
    }
    double[][] mean = meanByLocalHour(run, Placement.FLEX, "2026-01-20T00:00:00Z");
    double checkpointShare = w.checkpointDuration().toMillis() / (double) w.checkpointEvery().toMillis();
    double night = w.trainingUtilization() * (1 - checkpointShare) + w.checkpointUtilization() * checkpointShare;
    for (int site = 0; site < 3; site++) {
      assertThat(mean[site][2]).as("flex at 02:00, site %d", site).isCloseTo(night, offset(0.03));
      assertThat(mean[site][14]).as("flex at 14:00, site %d", site).isCloseTo(inferenceCurve(w, 14.5), offset(0.03));
    }
  }

  @Test
  void theFleetTrainsMoreAtNightThanByDay() {
    FleetRun run = new FleetRun(ONE_MINUTE);
    FleetConfig cfg = run.model.config();
    int[] training = new int[24];
    int[] all = new int[24];
    run.walkAll(run.tickAt("2026-04-02T00:00:00Z"), 1440, 5, (tick, s) -> {
      int h = localHour(cfg.sites().get(s.site), tick * run.model.intervalMs());
      all[h]++;
      if (s.activity == Activity.TRAINING) training[h]++;
    });
    // Shares of a 100-UltraServer fleet are whole UltraServers per site: take the layout's counts.
    Map<Placement, Integer> n = run.model.layout().placementCounts();
    double reporting = run.model.layout().ultraservers() - n.get(Placement.MAINTENANCE);
    double night = (double) training[2] / all[2];
    double day = (double) training[14] / all[14];
    assertThat(night).isCloseTo((n.get(Placement.TRAINING) + n.get(Placement.FLEX)) / reporting, offset(0.01));
    assertThat(day).isCloseTo(n.get(Placement.TRAINING) / reporting, offset(0.01));
    assertThat(night - day).isGreaterThan(0.15);
  }

  @Test
  void chipsOfOneTrainingJobMoveTogetherAndOtherJobsDoNot() {
    FleetRun run = new FleetRun(Map.of("fleet.chips", "6400", "faults.straggler_share", "0"));
    FleetLayout layout = run.model.layout();
    int us = firstUltraserverOfAJobSpanning(layout, 3);
    int chipA = us * 64 + 3;
    int chipB = (us + 2) * 64 + 40; // two UltraServers away, same job
    int otherJobUs = us + 3;
    while (layout.workload(otherJobUs) == layout.workload(us) || layout.placement(otherJobUs) != Placement.TRAINING) {
      otherJobUs++;
    }
    int chipC = otherJobUs * 64 + 7;
    Map<Integer, List<Double>> series = new HashMap<>();
    long first = run.tickAt("2026-11-25T00:00:00Z");
    for (int chip : new int[] {chipA, chipB, chipC}) {
      List<Double> u = new ArrayList<>();
      run.walk(chip, chip + 1, 1, first, 3000, 1, (tick, s) -> u.add(s.utilization));
      series.put(chip, u);
    }
    double sameJob = correlation(series.get(chipA), series.get(chipB));
    double otherJob = correlation(series.get(chipA), series.get(chipC));
    // training_job_jitter 0.03 shared, chip_jitter 0.015 each: about 0.8 within a job; checkpoints add to it.
    assertThat(sameJob).isGreaterThan(0.75);
    assertThat(Math.abs(otherJob)).isLessThan(0.15);
  }

  @Test
  void checkpointsPauseEveryChipOfTheJobAtOnceWithHbmHeld() {
    FleetRun run = new FleetRun(Map.of("fleet.chips", "6400", "faults.silent_share", "0"));
    FleetLayout layout = run.model.layout();
    FleetConfig.Workloads w = run.model.config().workloads();
    int us = firstUltraserverOfAJobSpanning(layout, 2);
    int job = layout.workload(us);
    int size = 0;
    while (layout.workload(us + size) == job) size++;
    int jobChips = size * 64;
    long ticks = 6 * 360; // six hours at 10 s
    Map<Long, int[]> perTick = new HashMap<>(); // tick -> {chips paused, chips sampled}
    double gib = run.model.generationOf(us).hbmGib();
    run.walk(us * 64, (us + size) * 64, 1, run.tickAt("2026-11-25T00:00:00Z"), ticks, 1, (tick, s) -> {
      int[] c = perTick.computeIfAbsent(tick, k -> new int[2]);
      c[1]++;
      if (s.utilization < 0.2) {
        c[0]++;
        assertThat(s.hbmUsedGib / gib).as("HBM held through the checkpoint")
            .isCloseTo(w.trainingHbmShare(), offset(4 * w.hbmJitter()));
      }
    });
    int pausedTicks = 0;
    for (int[] c : perTick.values()) {
      assertThat(c[1]).isEqualTo(jobChips);
      assertThat(c[0]).as("chips paused at one tick: none or all").isIn(0, jobChips);
      if (c[0] == jobChips) pausedTicks++;
    }
    double expected = ticks * w.checkpointDuration().toMillis() / (double) w.checkpointEvery().toMillis();
    assertThat((double) pausedTicks).isCloseTo(expected, offset(13.0)); // a pause is 12 ticks: at most one more or less
  }

  @Test
  void reservedIdleChipsDrawIdlePowerForNoWork() {
    FleetRun run = new FleetRun(Map.of("fleet.chips", "6400", "faults.power_cap_share", "0"));
    FleetConfig.Workloads w = run.model.config().workloads();
    double[] sum = new double[3];
    run.walkAll(run.tickAt("2026-11-25T00:00:00Z"), 60, 1, (tick, s) -> {
      if (run.model.layout().placement(s.ultraserver) != Placement.RESERVED_IDLE) return;
      // A held reservation is a tenant's workload; the rest of the reserved-idle capacity is unplaced.
      int held = run.model.layout().workload(s.ultraserver);
      assertThat(s.workload).isEqualTo(held);
      assertThat(s.tenant).isEqualTo(held < 0 ? -1 : run.model.layout().tenantIndexOf(held));
      if (held >= 0) assertThat(run.model.layout().workloadName(held)).startsWith("resv-");
      assertThat(s.activity).isEqualTo(Activity.RESERVED_IDLE);
      sum[0] += s.utilization;
      sum[1] += s.powerW;
      sum[2]++;
    });
    FleetConfig.Generation trn2 = run.model.config().generation("trn2");
    assertThat(sum[0] / sum[2]).isCloseTo(w.idleUtilization(), offset(0.001));
    assertThat(sum[1] / sum[2]).isCloseTo(
        trn2.idlePowerW() + (trn2.maxPowerW() - trn2.idlePowerW()) * w.idleUtilization(), offset(1.0));
  }

  @Test
  void powerIsLinearInUtilizationPlusBoundedNoiseAndNeverAboveMax() {
    FleetRun run = new FleetRun(Map.of("fleet.chips", "6400", "fleet.generation_mix", "{trn1: 0.3, trn2: 0.4, trn3: 0.3}"));
    double noise = run.model.config().power().noiseW();
    int[] seen = new int[1];
    run.walkAll(run.tickAt("2026-11-25T12:00:00Z"), 30, 1, (tick, s) -> {
      FleetConfig.Generation g = run.model.generationOf(s.ultraserver);
      double linear = g.idlePowerW() + (g.maxPowerW() - g.idlePowerW()) * s.utilization;
      assertThat(s.powerW).isLessThanOrEqualTo(g.maxPowerW());
      // The noise is bounded (+-3.46 standard deviations); below the cap, power is the line plus that noise.
      if (s.powerW < 0.8 * g.maxPowerW() - 4 * noise) assertThat(s.powerW).isCloseTo(linear, offset(3.47 * noise));
      seen[0]++;
    });
    assertThat(seen[0]).isGreaterThan(150_000);
  }

  static int firstUltraserverOfAJobSpanning(FleetLayout layout, int minSize) {
    for (int us = 0; us + minSize <= layout.ultraservers(); us++) {
      if (layout.placement(us) == Placement.TRAINING && layout.workloadFirstUltraserver(us) == us
          && layout.workload(us + minSize - 1) == layout.workload(us)) {
        return us;
      }
    }
    throw new AssertionError("no training job spans " + minSize + " UltraServers");
  }

  static double correlation(List<Double> x, List<Double> y) {
    int n = Math.min(x.size(), y.size());
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
      mx += x.get(i);
      my += y.get(i);
    }
    mx /= n;
    my /= n;
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x.get(i) - mx, dy = y.get(i) - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
