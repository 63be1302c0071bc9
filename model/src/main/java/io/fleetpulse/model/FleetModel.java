package io.fleetpulse.model;

import java.time.Instant;
import java.time.zone.ZoneRules;

/**
 * The modelled fleet: {@link #sample} gives any chip's sample at any tick as a pure function of the config
 * (seed included), the chip and the tick. No state, no shared generator: shards, replays, and tests that
 * predict a window's content all call the same function. Immutable and thread-safe.
 *
 * <p>Time is counted in ticks since the Unix epoch: tick k covers [k * interval, (k + 1) * interval). Each
 * chip samples at a fixed phase inside its tick, as unsynchronised agents do, so a sample's event time is
 * k * interval + phase(chip), always inside the tick.
 */
public final class FleetModel {

  static final long HOUR_MS = 3_600_000L;
  static final long DAY_MS = 86_400_000L;

  private final FleetConfig cfg;
  private final FleetLayout layout;
  private final long seed;
  private final long intervalMs;
  private final ZoneRules[] zones;
  private final FleetConfig.Site[] sites;
  private final FleetConfig.Generation[] generations;
  private final FleetConfig.Workloads w;
  private final FleetConfig.Faults faults;

  public FleetModel(FleetConfig cfg) {
    this.cfg = cfg;
    this.layout = new FleetLayout(cfg);
    this.seed = cfg.fleet().seed();
    this.intervalMs = cfg.fleet().interval().toMillis();
    this.sites = cfg.sites().toArray(FleetConfig.Site[]::new);
    this.zones = new ZoneRules[sites.length];
    for (int i = 0; i < sites.length; i++) zones[i] = sites[i].timezone().getRules();
    this.generations =
        layout.generationIds().stream().map(cfg::generation).toArray(FleetConfig.Generation[]::new);
    this.w = cfg.workloads();
    this.faults = cfg.faults();
  }

  public FleetConfig config() {
    return cfg;
  }

  public FleetLayout layout() {
    return layout;
  }

  public long intervalMs() {
    return intervalMs;
  }

  public long tickOf(long epochMs) {
    return Math.floorDiv(epochMs, intervalMs);
  }

  public FleetConfig.Generation generationOf(int us) {
    return generations[layout.generationIndex(us)];
  }

  public FleetConfig.Site siteOf(int us) {
    return sites[layout.siteIndex(us)];
  }

  /**
   * Fills {@code out} with the chip's sample at the tick and returns true, or returns false when the chip sends
   * nothing then (its UltraServer is in maintenance, or the chip has gone silent).
   */
  public boolean sample(int chip, long tick, Sample out) {
    int us = layout.ultraserverOf(chip);
    Placement placement = layout.placement(us);
    long t = tick * intervalMs;
    if (placement == Placement.MAINTENANCE || isSilent(chip, t)) {
      return false;
    }
    int siteIdx = layout.siteIndex(us);
    FleetConfig.Generation gen = generations[layout.generationIndex(us)];
    int job = layout.workload(us);

    Activity activity = activity(placement, siteIdx, t);
    double chipNoise = Rng.gaussian(Rng.hash(seed, Rng.CHIP_NOISE, chip, tick)) * w.chipJitter();
    double u;
    double hbmShare;
    boolean checkpointing = false;
    switch (activity) {
      case TRAINING -> {
        checkpointing = inCheckpoint(job, t);
        if (checkpointing) {
          u = w.checkpointUtilization() + Math.abs(chipNoise) * 0.2;
        } else {
          double jobNoise = Rng.gaussian(Rng.hash(seed, Rng.JOB_NOISE, job, tick)) * w.trainingJobJitter();
          u = w.trainingUtilization() + jobNoise + chipNoise;
          if (isStraggler(chip)) u *= 1 - faults.stragglerSlowdown();
        }
        hbmShare = w.trainingHbmShare();
      }
      case INFERENCE -> {
        double usNoise = Rng.gaussian(Rng.hash(seed, Rng.US_NOISE, us, tick)) * 0.04;
        u = inferenceLoad(siteIdx, t) + usNoise + chipNoise;
        hbmShare = w.inferenceHbmBaseShare() + 0.3 * clamp01(u);
      }
      default -> {
        u = w.idleUtilization() * (1 + 0.5 * Rng.gaussian(Rng.hash(seed, Rng.CHIP_NOISE, chip, tick)) / 1.74);
        hbmShare = w.idleHbmShare();
      }
    }
    u = clamp01(u);

    double capW = gen.maxPowerW();
    if (isPowerCapped(us, t)) {
      capW = faults.powerCapFraction() * gen.maxPowerW();
      // A capped chip throttles its clocks: it cannot do more work than its power budget allows.
      double uMax = (capW - gen.idlePowerW()) / (gen.maxPowerW() - gen.idlePowerW());
      u = Math.min(u, Math.max(0, uMax));
    }
    double power = gen.idlePowerW() + (gen.maxPowerW() - gen.idlePowerW()) * u
        + Rng.gaussian(Rng.hash(seed, Rng.POWER_NOISE, chip, tick)) * cfg.power().noiseW();
    power = Math.max(0, Math.min(power, capW));

    double hbmNoise = Rng.gaussian(Rng.hash(seed, Rng.HBM_NOISE, chip, tick)) * 0.005;
    double hbm = Math.max(0, Math.min(gen.hbmGib(), gen.hbmGib() * (hbmShare + hbmNoise)));

    out.chip = chip;
    out.instance = layout.instanceOf(chip);
    out.ultraserver = us;
    out.site = siteIdx;
    out.generation = layout.generationIndex(us);
    out.workload = activity == Activity.RESERVED_IDLE ? -1 : job;
    out.activity = activity;
    out.eventTimeMs = t + phase(chip);
    out.intervalMs = (int) intervalMs;
    out.utilization = u;
    out.hbmUsedGib = hbm;
    out.powerW = power;
    out.renewableShare = renewableShare(siteIdx, Math.floorDiv(t, HOUR_MS));
    eccCounters(chip, t, out);
    return true;
  }

  Activity activity(Placement placement, int siteIdx, long t) {
    return switch (placement) {
      case TRAINING -> Activity.TRAINING;
      case INFERENCE -> Activity.INFERENCE;
      case FLEX -> {
        double h = localHour(siteIdx, t);
        yield h >= w.flexDayStartHour() && h < w.flexDayEndHour() ? Activity.INFERENCE : Activity.TRAINING;
      }
      default -> Activity.RESERVED_IDLE;
    };
  }

  /** The chip's fixed sampling offset inside each tick, ms. */
  public long phase(int chip) {
    return (long) (Rng.unit(Rng.hash(seed, Rng.PHASE, chip, 0)) * intervalMs);
  }

  /** Mean inference utilization at a site and time: trough at 03:00 local, peak at 15:00. */
  public double inferenceLoad(int siteIdx, long t) {
    double h = localHour(siteIdx, t);
    double day = 0.5 - 0.5 * Math.cos(2 * Math.PI * (h - 3) / 24);
    return w.inferenceTroughUtilization()
        + (w.inferencePeakUtilization() - w.inferenceTroughUtilization()) * day;
  }

  public boolean inCheckpoint(int job, long t) {
    long every = w.checkpointEvery().toMillis();
    long offset = (long) (Rng.unit(Rng.hash(seed, Rng.CHECKPOINT, job, 0)) * every);
    return Math.floorMod(t + offset, every) < w.checkpointDuration().toMillis();
  }

  public boolean isStraggler(int chip) {
    return Rng.unit(Rng.hash(seed, Rng.STRAGGLER, chip, 0)) < faults.stragglerShare();
  }

  /** A chip goes silent at most once a day, at a seeded time, for silent_duration (which may cross midnight). */
  public boolean isSilent(int chip, long t) {
    return inDailyEpisode(Rng.SILENT, Rng.SILENT_START, chip, t, faults.silentShare(),
        faults.silentDuration().toMillis());
  }

  public boolean isPowerCapped(int us, long t) {
    return inDailyEpisode(Rng.POWER_CAP, Rng.POWER_CAP_START, us, t, faults.powerCapShare(),
        faults.powerCapDuration().toMillis());
  }

  private boolean inDailyEpisode(long purpose, long startPurpose, int entity, long t, double share, long length) {
    if (share <= 0 || length <= 0) return false;
    long day = Math.floorDiv(t, DAY_MS);
    for (long d = day; d >= day - 1; d--) {
      if (Rng.unit(Rng.hash(seed, purpose, entity, d)) < share) {
        long start = d * DAY_MS + (long) (Rng.unit(Rng.hash(seed, startPurpose, entity, d)) * DAY_MS);
        if (t >= start && t < start + length) return true;
      }
    }
    return false;
  }

  /** Local solar-clock hour, 0..24, of a site at an instant (the site's time zone, DST included). */
  public double localHour(int siteIdx, long epochMs) {
    int offsetS = zones[siteIdx].getOffset(Instant.ofEpochMilli(epochMs)).getTotalSeconds();
    long local = Math.floorMod(epochMs + offsetS * 1000L, DAY_MS);
    return local / (double) HOUR_MS;
  }

  /**
   * Share of a site's consumption covered by contracted renewables in one UTC hour: solar (a bell over local
   * daylight, 06:00-20:00, peaking at solar_peak_share) plus wind (wind_mean_share moved by a smooth seeded walk:
   * random levels every 6 hours joined by smoothstep), clamped to [0, 1].
   */
  public double renewableShare(int siteIdx, long utcHour) {
    FleetConfig.Site s = sites[siteIdx];
    double h = localHour(siteIdx, utcHour * HOUR_MS + HOUR_MS / 2);
    double solar = h > 6 && h < 20 ? s.solarPeakShare() * Math.sin(Math.PI * (h - 6) / 14) : 0;
    long knot = Math.floorDiv(utcHour, 6);
    double frac = (utcHour - knot * 6) / 6.0;
    double a = 2 * Rng.unit(Rng.hash(seed, Rng.WIND, siteIdx, knot)) - 1;
    double b = 2 * Rng.unit(Rng.hash(seed, Rng.WIND, siteIdx, knot + 1)) - 1;
    double smooth = frac * frac * (3 - 2 * frac);
    double wind = s.windMeanShare() + s.windVariability() * (a + (b - a) * smooth);
    return clamp01(solar + Math.max(0, wind));
  }

  /**
   * ECC counters as neuron-monitor reports them: monotonic since the driver last loaded (a seeded moment every
   * driver_reload_days, when they reset to zero); a steady background of corrected errors plus bursts (at most one
   * per chip and UTC day, with probability ecc_burst_per_chip_day) of ecc_burst_size corrected errors, one in
   * ten of which also counts an uncorrected error.
   */
  void eccCounters(int chip, long t, Sample out) {
    long period = (long) (faults.driverReloadDays() * DAY_MS);
    long reloadPhase = (long) (Rng.unit(Rng.hash(seed, Rng.DRIVER_RELOAD, chip, 0)) * period);
    long lastReload = Math.floorDiv(t + reloadPhase, period) * period - reloadPhase;
    double hours = (t - lastReload) / (double) HOUR_MS;
    double rate = faults.eccBackgroundPerHour() * (0.5 + Rng.unit(Rng.hash(seed, Rng.DRIVER_RELOAD, chip, 1)));
    long corrected = (long) (hours * rate);
    long uncorrected = 0;
    double p = faults.eccBurstPerChipDay();
    if (p > 0) {
      for (long d = Math.floorDiv(lastReload, DAY_MS); d <= Math.floorDiv(t, DAY_MS); d++) {
        long h = Rng.hash(seed, Rng.ECC_BURST, chip, d);
        if (Rng.unit(h) < p) {
          long at = d * DAY_MS + (long) (Rng.unit(Rng.mix(h)) * DAY_MS);
          if (at > lastReload && at <= t) {
            corrected += faults.eccBurstSize();
            if (Rng.unit(Rng.hash(seed, Rng.ECC_UNCORRECTED, chip, d)) < 0.1) uncorrected++;
          }
        }
      }
    }
    out.eccCorrectedTotal = corrected;
    out.eccUncorrectedTotal = uncorrected;
  }

  static double clamp01(double v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }
}
