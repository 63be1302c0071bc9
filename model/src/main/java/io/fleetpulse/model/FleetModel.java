package io.fleetpulse.model;

import java.time.Instant;
import java.time.zone.ZoneRules;

/**
 * The modelled fleet: {@link #sample} gives any chip's sample at any tick as a pure function of the config
 * (seed included), the chip and the tick. No state, no shared generator: shards, replays, and tests that
 * predict a window's content all call the same function. Immutable and thread-safe.
 *
 * <p>Time is counted in ticks since the Unix epoch: tick k covers [k * interval, (k + 1) * interval). Everything a
 * sample depends on is evaluated at the tick's start t = k * interval; the chip then reports at its fixed phase
 * inside the tick, as unsynchronised agents do, so the event time is t + phase(chip), always inside the tick.
 *
 * <p>{@link #sample} is written as a chain of small steps (activity, demand, power cap, power, HBM, renewables,
 * ECC) that {@link TickSampler}, the generator's fast path, reuses with the shared parts cached per tick; a
 * test holds the two byte-identical.
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
  private final FleetConfig.Renewables renewables;
  private final long windStepHours;
  private final double[] windWeights;
  private final long chipTickPrefix;

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
    this.renewables = cfg.renewables();
    this.windStepHours = renewables.windStep().toHours();
    this.windWeights = windWeights(renewables.windPersistence());
    this.chipTickPrefix = Rng.prefix(seed, Rng.CHIP_TICK);
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
    int genIdx = layout.generationIndex(us);
    FleetConfig.Generation gen = generations[genIdx];
    int workload = layout.workload(us);
    Activity activity = activity(placement, siteIdx, t);

    long noise = chipTickHash(chip, tick);
    double demand = switch (activity) {
      case TRAINING -> inCheckpoint(workload, t)
          ? checkpointDemand(noise)
          : trainingDemand(jobLevel(workload, tick), noise, isStraggler(chip));
      case INFERENCE -> inferenceDemand(serviceLevel(inferenceLoad(siteIdx, t), us, tick), noise);
      case RESERVED_IDLE -> idleDemand(noise);
    };
    boolean capped = isPowerCapped(us, t);
    fill(out, chip, us, siteIdx, genIdx, workload, activity,
        t + phase(chip), demand, capW(gen, capped), maxUtilization(gen, capped), noise,
        renewableShare(siteIdx, Math.floorDiv(t, HOUR_MS)));
    eccCounters(chip, t, out);
    return true;
  }

  /** The steps every sample ends with: clamp, throttle under a power cap, power and HBM, identity fields. */
  void fill(Sample out, int chip, int us, int siteIdx, int genIdx, int workload, Activity activity,
      long eventTimeMs, double demand, double capW, double maxUtilization, long noise, double renewableShare) {
    FleetConfig.Generation gen = generations[genIdx];
    double u = clamp01(demand);
    // HBM follows the work asked for; a power cap slows the chip down but leaves its memory where it was.
    double hbmShare = hbmShare(activity, u);
    u = Math.min(u, maxUtilization);
    out.chip = chip;
    out.instance = layout.instanceOf(chip);
    out.ultraserver = us;
    out.site = siteIdx;
    out.generation = genIdx;
    out.workload = workload;
    out.tenant = workload < 0 ? -1 : layout.tenantIndexOf(workload);
    out.activity = activity;
    out.eventTimeMs = eventTimeMs;
    out.intervalMs = (int) intervalMs;
    out.utilization = u;
    out.hbmUsedGib = hbm(gen, hbmShare, noise);
    out.powerW = power(gen, u, capW, noise);
    out.renewableShare = renewableShare;
  }

  // --- what an UltraServer does ---------------------------------------------------------------------------

  Activity activity(Placement placement, int siteIdx, long t) {
    return switch (placement) {
      case TRAINING -> Activity.TRAINING;
      case INFERENCE -> Activity.INFERENCE;
      case FLEX -> isFlexDay(siteIdx, t) ? Activity.INFERENCE : Activity.TRAINING;
      default -> Activity.RESERVED_IDLE;
    };
  }

  /** Flex UltraServers serve inference during the site's local (wall-clock) day and train at night. */
  boolean isFlexDay(int siteIdx, long t) {
    double h = localHour(siteIdx, t);
    return h >= w.flexDayStartHour() && h < w.flexDayEndHour();
  }

  /**
   * Mean inference utilization at a site and time: a cosine day curve from inference_trough_utilization at the
   * trough hour to inference_peak_utilization at inference_peak_hour, twelve hours later, in local wall-clock time
   * (people follow the clock, daylight saving time included).
   */
  public double inferenceLoad(int siteIdx, long t) {
    double h = localHour(siteIdx, t);
    double day = 0.5 - 0.5 * Math.cos(2 * Math.PI * (h - w.inferenceTroughHour()) / 24);
    return w.inferenceTroughUtilization()
        + (w.inferencePeakUtilization() - w.inferenceTroughUtilization()) * day;
  }

  /** An inference service's load on one UltraServer: the site's day curve plus this UltraServer's noise. */
  double serviceLevel(double load, int us, long tick) {
    return load + Rng.gaussian(Rng.hash(seed, Rng.US_NOISE, us, tick)) * w.inferenceUltraserverJitter();
  }

  /** A synchronous training job's step utilization: one noise term shared by every chip of the job. */
  double jobLevel(int job, long tick) {
    return w.trainingUtilization() + Rng.gaussian(Rng.hash(seed, Rng.JOB_NOISE, job, tick)) * w.trainingJobJitter();
  }

  /** Whether the job is writing a checkpoint: every checkpoint_every, at a seeded offset per job. */
  public boolean inCheckpoint(int job, long t) {
    long every = w.checkpointEvery().toMillis();
    long offset = (long) (Rng.unit(Rng.hash(seed, Rng.CHECKPOINT, job, 0)) * every);
    return Math.floorMod(t + offset, every) < w.checkpointDuration().toMillis();
  }

  // --- what a chip does: demand, the utilization it asks for before clamping and power caps ----------------

  /** One hash per chip and tick; the chip's utilization, power and HBM noise all derive from it. */
  long chipTickHash(int chip, long tick) {
    return Rng.hash(chipTickPrefix, chip, tick);
  }

  double trainingDemand(double jobLevel, long noise, boolean straggler) {
    double u = jobLevel + Rng.gaussian(noise) * w.chipJitter();
    return straggler ? u * (1 - faults.stragglerSlowdown()) : u;
  }

  double checkpointDemand(long noise) {
    return w.checkpointUtilization() + Rng.gaussian(noise) * w.chipJitter();
  }

  double inferenceDemand(double serviceLevel, long noise) {
    return serviceLevel + Rng.gaussian(noise) * w.chipJitter();
  }

  /** Runtime housekeeping: idle_utilization on average, never below zero (the noise is bounded by +-3.46). */
  double idleDemand(long noise) {
    return w.idleUtilization() * (1 + 0.25 * Rng.gaussian(noise));
  }

  double hbmShare(Activity activity, double utilization) {
    return switch (activity) {
      case TRAINING -> w.trainingHbmShare(); // held through checkpoints too
      case INFERENCE -> w.inferenceHbmBaseShare() + w.inferenceHbmLoadShare() * utilization;
      case RESERVED_IDLE -> w.idleHbmShare();
    };
  }

  double hbm(FleetConfig.Generation gen, double share, long noise) {
    double jitter = Rng.gaussian(Rng.mix(noise ^ Rng.HBM_SALT)) * w.hbmJitter();
    return Math.max(0, Math.min(gen.hbmGib(), gen.hbmGib() * (share + jitter)));
  }

  /** The linear power model (idle to max with utilization) plus noise, never above the cap. Modelled. */
  double power(FleetConfig.Generation gen, double utilization, double capW, long noise) {
    double p = gen.idlePowerW() + (gen.maxPowerW() - gen.idlePowerW()) * utilization
        + Rng.gaussian(Rng.mix(noise ^ Rng.POWER_SALT)) * cfg.power().noiseW();
    return Math.max(0, Math.min(p, capW));
  }

  double capW(FleetConfig.Generation gen, boolean capped) {
    return capped ? faults.powerCapFraction() * gen.maxPowerW() : gen.maxPowerW();
  }

  /** A capped chip throttles its clocks: it can do no more work than its power budget allows. */
  double maxUtilization(FleetConfig.Generation gen, boolean capped) {
    if (!capped) return 1;
    double budget = (capW(gen, true) - gen.idlePowerW()) / (gen.maxPowerW() - gen.idlePowerW());
    return Math.max(0, budget);
  }

  /** The chip's fixed sampling offset inside each tick, ms. */
  public long phase(int chip) {
    return (long) (Rng.unit(Rng.hash(seed, Rng.PHASE, chip, 0)) * intervalMs);
  }

  // --- faults -----------------------------------------------------------------------------------------------

  /** A straggler is a chip persistently slower than its training job's peers (straggler_share of chips). */
  public boolean isStraggler(int chip) {
    return Rng.unit(Rng.hash(seed, Rng.STRAGGLER, chip, 0)) < faults.stragglerShare();
  }

  /** A chip goes silent at most once a day, at a seeded time, for silent_duration (which may cross midnight). */
  public boolean isSilent(int chip, long t) {
    return inDailyEpisode(Rng.SILENT, Rng.SILENT_START, chip, t, faults.silentShare(),
        faults.silentDuration().toMillis());
  }

  /** An UltraServer is held at power_cap_fraction of max power at most once a day, for power_cap_duration. */
  public boolean isPowerCapped(int us, long t) {
    return inDailyEpisode(Rng.POWER_CAP, Rng.POWER_CAP_START, us, t, faults.powerCapShare(),
        faults.powerCapDuration().toMillis());
  }

  private boolean inDailyEpisode(long purpose, long startPurpose, int entity, long t, double share, long length) {
    if (share <= 0 || length <= 0) return false;
    long day = Math.floorDiv(t, DAY_MS);
    for (long d = day; d >= day - 1; d--) {
      long start = episodeStart(purpose, startPurpose, entity, d, share);
      if (start != NO_EPISODE && t >= start && t < start + length) return true;
    }
    return false;
  }

  static final long NO_EPISODE = Long.MIN_VALUE;

  /** When the entity's episode of UTC day d starts (chosen with probability share), or NO_EPISODE. */
  long episodeStart(long purpose, long startPurpose, int entity, long d, double share) {
    if (Rng.unit(Rng.hash(seed, purpose, entity, d)) >= share) return NO_EPISODE;
    return d * DAY_MS + (long) (Rng.unit(Rng.hash(seed, startPurpose, entity, d)) * DAY_MS);
  }

  long silentEpisodeStart(int chip, long day) {
    return episodeStart(Rng.SILENT, Rng.SILENT_START, chip, day, faults.silentShare());
  }

  long powerCapEpisodeStart(int us, long day) {
    return episodeStart(Rng.POWER_CAP, Rng.POWER_CAP_START, us, day, faults.powerCapShare());
  }

  /**
   * ECC counters as neuron-monitor reports them: monotonic since the driver last loaded (a seeded moment every
   * driver_reload_days, when they reset to zero); a steady background of corrected errors plus bursts (at most one
   * per chip and UTC day, with probability ecc_burst_per_chip_day) of ecc_burst_size corrected errors, each of
   * which also counts an uncorrected error with probability ecc_uncorrected_per_burst.
   */
  void eccCounters(int chip, long t, Sample out) {
    long lastReload = lastDriverReload(chip, t);
    long bursts = 0;
    long uncorrected = 0;
    for (long d = Math.floorDiv(lastReload, DAY_MS); d <= Math.floorDiv(t, DAY_MS); d++) {
      long at = eccBurstAt(chip, d);
      if (at != NO_EPISODE && at > lastReload && at <= t) {
        bursts++;
        if (eccBurstUncorrected(chip, d)) uncorrected++;
      }
    }
    out.eccCorrectedTotal = eccBackground(eccRate(chip), lastReload, t) + bursts * faults.eccBurstSize();
    out.eccUncorrectedTotal = uncorrected;
  }

  long driverReloadPeriodMs() {
    return (long) (faults.driverReloadDays() * DAY_MS);
  }

  long lastDriverReload(int chip, long t) {
    long period = driverReloadPeriodMs();
    long reloadPhase = (long) (Rng.unit(Rng.hash(seed, Rng.DRIVER_RELOAD, chip, 0)) * period);
    return Math.floorDiv(t + reloadPhase, period) * period - reloadPhase;
  }

  /** Corrected errors per hour outside bursts: ecc_background_per_hour, 0.5x to 1.5x per chip. */
  double eccRate(int chip) {
    return faults.eccBackgroundPerHour() * (0.5 + Rng.unit(Rng.hash(seed, Rng.ECC_RATE, chip, 0)));
  }

  static long eccBackground(double rate, long lastReload, long t) {
    return (long) ((t - lastReload) / (double) HOUR_MS * rate);
  }

  /** When the chip's ECC burst of UTC day d happens, or NO_EPISODE. */
  long eccBurstAt(int chip, long d) {
    long h = Rng.hash(seed, Rng.ECC_BURST, chip, d);
    if (Rng.unit(h) >= faults.eccBurstPerChipDay()) return NO_EPISODE;
    return d * DAY_MS + (long) (Rng.unit(Rng.mix(h)) * DAY_MS);
  }

  boolean eccBurstUncorrected(int chip, long d) {
    return Rng.unit(Rng.hash(seed, Rng.ECC_UNCORRECTED, chip, d)) < faults.eccUncorrectedPerBurst();
  }

  // --- sites: local time and renewables --------------------------------------------------------------------

  /** Local wall-clock hour, 0..24, of a site at an instant (the site's time zone, daylight saving time included). */
  public double localHour(int siteIdx, long epochMs) {
    int offsetS = zones[siteIdx].getOffset(Instant.ofEpochMilli(epochMs)).getTotalSeconds();
    return hourOfDay(epochMs + offsetS * 1000L);
  }

  /** Local standard-time hour, 0..24: the sun's clock, which keeps no daylight saving time. */
  public double localStandardHour(int siteIdx, long epochMs) {
    int offsetS = zones[siteIdx].getStandardOffset(Instant.ofEpochMilli(epochMs)).getTotalSeconds();
    return hourOfDay(epochMs + offsetS * 1000L);
  }

  private static double hourOfDay(long localMs) {
    return Math.floorMod(localMs, DAY_MS) / (double) HOUR_MS;
  }

  /**
   * The grid's figures for a site and the UTC hour holding {@code timeMs} ({@link GridProfile}), with the site's
   * contracted carbon-free share for the hour ({@link #renewableShare}): a pure function, what the generator writes to
   * the grid-intensity topic and what tests predict it by.
   */
  public GridProfile.Hour gridHour(int siteIdx, long timeMs) {
    return GridProfile.defaults().at(sites[siteIdx], timeMs,
        renewableShare(siteIdx, Math.floorDiv(timeMs, GridProfile.HOUR_MS)));
  }

  /** The site index of a site id, or -1. */
  public int siteIndex(String id) {
    for (int i = 0; i < sites.length; i++) {
      if (sites[i].id().equals(id)) return i;
    }
    return -1;
  }

  /**
   * Share of a site's consumption covered by contracted renewables in one UTC hour, clamped to [0, 1]: solar (a
   * half-sine bell between sunrise and sunset in local standard time, peaking at solar_peak_share) plus wind.
   */
  public double renewableShare(int siteIdx, long utcHour) {
    FleetConfig.Site s = sites[siteIdx];
    double h = localStandardHour(siteIdx, utcHour * HOUR_MS + HOUR_MS / 2);
    double rise = renewables.solarSunriseHour();
    double set = renewables.solarSunsetHour();
    double solar = h > rise && h < set ? s.solarPeakShare() * Math.sin(Math.PI * (h - rise) / (set - rise)) : 0;
    return clamp01(solar + Math.max(0, windShare(siteIdx, utcHour)));
  }

  /**
   * The site's wind share in one UTC hour: wind_mean_share plus wind_variability times a mean-reverting random walk
   * (AR(1) with wind_persistence per wind_step, unit variance) whose levels, one per wind_step, are joined by
   * smoothstep so that the share never jumps. Each level is a weighted sum of the recent seeded steps, so any hour
   * can be computed on its own.
   */
  double windShare(int siteIdx, long utcHour) {
    FleetConfig.Site s = sites[siteIdx];
    long knot = Math.floorDiv(utcHour, windStepHours);
    double frac = (utcHour - knot * windStepHours) / (double) windStepHours;
    double a = windLevel(siteIdx, knot);
    double b = windLevel(siteIdx, knot + 1);
    double smooth = frac * frac * (3 - 2 * frac);
    return s.windMeanShare() + s.windVariability() * (a + (b - a) * smooth);
  }

  private double windLevel(int siteIdx, long knot) {
    double level = 0;
    for (int j = 0; j < windWeights.length; j++) {
      level += windWeights[j] * Rng.gaussian(Rng.hash(seed, Rng.WIND, siteIdx, knot - j));
    }
    return level;
  }

  /** AR(1) as a moving average: weights sqrt(1 - r^2) r^j, cut where r^j falls below 1e-3. */
  private static double[] windWeights(double persistence) {
    int n = persistence <= 0 ? 1 : (int) Math.ceil(Math.log(1e-3) / Math.log(persistence));
    double[] weights = new double[n];
    double scale = Math.sqrt(1 - persistence * persistence);
    double r = 1;
    for (int j = 0; j < n; j++) {
      weights[j] = scale * r;
      r *= persistence;
    }
    return weights;
  }

  static double clamp01(double v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }
}
