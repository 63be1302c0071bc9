package io.fleetpulse.bench;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.metrics.ReadingSums;
import io.fleetpulse.metrics.UltraServerFactors;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.GridProfile;
import io.fleetpulse.model.Placement;
import io.fleetpulse.testing.ModelledWindows;

/**
 * An UltraServer-minute's readings from the fleet model's curves, without sampling each chip: a week of the 1M-chip
 * fleet is 157M UltraServer-minutes, and {@link FleetModel#sample} for each of their 384 samples would take hours.
 * Each minute has one utilization for all its chips, from the UltraServer's placement as the model drives it
 * (training at training_utilization, at checkpoint_utilization while its job checkpoints; inference on its site's
 * day curve; flex serving by local day and training by night; reserved capacity at idle_utilization) plus a small
 * deterministic noise; power and HBM follow from the model's linear power model and HBM shares. Stragglers, silent
 * chips and power caps are left out (the alerts table carries the stragglers).
 *
 * <p>The readings are summed as {@link ReadingSums#add} would sum that many identical samples, then priced by the
 * job's own code ({@link ReadingSums#toSums} with the model's factors, {@link MetricSums#priceHour} with the grid's
 * figures of the hour), so every column is derived as the job derives it. Not thread-safe: one per thread.
 */
final class ModelledMinutes {

  private final FleetModel model;
  private final FleetLayout layout;
  private final FleetConfig.Workloads w;
  private final UltraServerFactors[] factors;
  private final int chipsPerUs;
  private final long samplesPerMinute;
  private final double dt;
  /** Per site, for the minute {@link #at} was last given. */
  private final double[] inferenceLoad;
  private final boolean[] flexDay;
  private final GridProfile.Hour[] grid;
  private long gridHour = Long.MIN_VALUE;
  private long minuteStart;

  ModelledMinutes(FleetModel model) {
    this.model = model;
    this.layout = model.layout();
    this.w = model.config().workloads();
    this.chipsPerUs = layout.chipsPerUltraserver();
    this.samplesPerMinute = chipsPerUs * (60_000L / model.intervalMs());
    this.dt = model.intervalMs() / 1000.0;
    this.factors = new UltraServerFactors[layout.ultraservers()];
    for (int us = 0; us < factors.length; us++) factors[us] = ModelledWindows.factors(model, us);
    int sites = layout.siteIds().size();
    this.inferenceLoad = new double[sites];
    this.flexDay = new boolean[sites];
    this.grid = new GridProfile.Hour[sites];
  }

  int chipsPerUltraserver() {
    return chipsPerUs;
  }

  /** Readings of the minute starting at {@code t} (epoch ms) from now on: the sites' curves at that minute. */
  void at(long t) {
    minuteStart = t;
    for (int site = 0; site < inferenceLoad.length; site++) {
      inferenceLoad[site] = model.inferenceLoad(site, t);
      double local = model.localHour(site, t);
      flexDay[site] = local >= w.flexDayStartHour() && local < w.flexDayEndHour();
    }
    long hour = Math.floorDiv(t, GridProfile.HOUR_MS);
    if (hour != gridHour) {
      for (int site = 0; site < grid.length; site++) grid[site] = model.gridHour(site, t);
      gridHour = hour;
    }
  }

  /** Adds the UltraServer's minute to {@code readings}; false (nothing added) when it is in maintenance. */
  boolean add(int us, ReadingSums readings) {
    Placement p = layout.placement(us);
    if (p == Placement.MAINTENANCE) return false;
    int site = layout.siteIndex(us);
    long minute = minuteStart / 60_000L;
    double noise = Math.floorMod(us * 2654435761L + minute * 40503L, 1000L) / 1000.0 * 0.04 - 0.02;
    boolean serving = p == Placement.INFERENCE || p == Placement.FLEX && flexDay[site];
    double u;
    double hbmShare;
    if (p == Placement.TRAINING || p == Placement.FLEX) {
      u = serving ? inferenceLoad[site] + noise
          : model.inCheckpoint(layout.workload(us), minuteStart) ? w.checkpointUtilization()
          : w.trainingUtilization() + noise;
    } else if (p == Placement.INFERENCE) {
      u = inferenceLoad[site] + noise;
    } else {
      u = w.idleUtilization();
    }
    u = Math.max(0, Math.min(1, u));
    if (serving) {
      hbmShare = w.inferenceHbmBaseShare() + w.inferenceHbmLoadShare() * u;
    } else {
      hbmShare = p == Placement.RESERVED_IDLE ? w.idleHbmShare() : w.trainingHbmShare();
    }
    FleetConfig.Generation gen = model.generationOf(us);
    double power = gen.idlePowerW() + (gen.maxPowerW() - gen.idlePowerW()) * u;
    addSamples(readings, samplesPerMinute, dt, u, gen.hbmGib() * hbmShare, power, grid[site].contractedCfeShare());
    return true;
  }

  /**
   * The UltraServer's sums of {@code minutes} minutes' readings, priced as the job prices a window: its factors,
   * then the grid's figures of the hour (the minutes must lie in one UTC hour, the one {@link #at} was last given).
   * In an hour row {@code ultraservers} and {@code chips_reporting} count each minute, as the job's roll-up sums
   * them over the row's windows.
   */
  MetricSums sums(int us, ReadingSums readings, int minutes) {
    MetricSums s = readings.toSums(chipsPerUs * minutes, factors[us]);
    s.ultraservers = minutes;
    GridProfile.Hour g = grid[layout.siteIndex(us)];
    return s.priceHour(g.locationGPerKwh(), g.residualGPerKwh(), g.gridCfeShare(), g.contractedCfeShare());
  }

  /**
   * {@code n} samples of the same reading, summed as n calls of {@link ReadingSums#add} would sum them; the
   * utilization is kept once, standing for them all in the exact quantiles and the sketch.
   */
  static void addSamples(ReadingSums r, long n, double dt, double u, double hbmGib, double powerW, double renewable) {
    double joules = powerW * dt * n;
    r.samples += n;
    r.chipSeconds += dt * n;
    r.utilizationSum += u * n;
    r.busySeconds += u * dt * n;
    r.hbmUsedSumGib += hbmGib * n;
    r.powerSumW += powerW * n;
    r.powerMaxW = Math.max(r.powerMaxW, powerW);
    r.energyJ += joules;
    r.residualEnergyJ += joules * (1 - renewable);
    if (u < ReadingSums.IDLE_UTILIZATION) {
      r.idleSamples += n;
      r.idleEnergyJ += joules;
      r.idleChipSeconds += dt * n;
    }
    if (r.utilizationCount == r.utilizations.length) {
      r.utilizations = java.util.Arrays.copyOf(r.utilizations, r.utilizations.length * 2);
    }
    r.utilizations[r.utilizationCount++] = (float) u;
  }
}
