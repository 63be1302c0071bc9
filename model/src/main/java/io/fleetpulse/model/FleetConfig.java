package io.fleetpulse.model;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole fleet model as configured: topology, sites, chip generations, workload mix, power model, faults,
 * and the published factors (PUE, grid factors, prices, GPU baseline) the metrics use. Defaults and their
 * sources live in {@code fleet-defaults.yaml}; {@link FleetConfigLoader} merges a user's file and flags over
 * them and {@link #validate()} names every bad value with its allowed range.
 */
public record FleetConfig(
    Fleet fleet,
    List<Site> sites,
    Map<String, Generation> generations,
    GpuBaseline gpuBaseline,
    Workloads workloads,
    Power power,
    Renewables renewables,
    Faults faults) {

  public static final int CHIPS_PER_ULTRASERVER_DEFAULT = 64;

  public record Fleet(
      int chips,
      long seed,
      Duration interval,
      int chipsPerInstance,
      int instancesPerUltraserver,
      Map<String, Double> generationMix) {

    public int chipsPerUltraserver() {
      return chipsPerInstance * instancesPerUltraserver;
    }

    public int ultraservers() {
      return chips / chipsPerUltraserver();
    }
  }

  public record Site(
      String id,
      String name,
      ZoneId timezone,
      double share,
      double pue,
      String pueSource,
      String gridRegion,
      @com.fasterxml.jackson.annotation.JsonProperty("grid_factor_g_per_kwh") double gridFactorGPerKwh,
      String gridFactorSource,
      double solarPeakShare,
      double windMeanShare,
      double windVariability) {}

  public record Generation(
      String name,
      double peakTflops,
      @com.fasterxml.jackson.annotation.JsonProperty("peak_fp8_tflops") double peakFp8Tflops,
      @com.fasterxml.jackson.annotation.JsonProperty("fp8_share") double fp8Share,
      String peakSource,
      double hbmGib,
      double idlePowerW,
      double maxPowerW,
      String powerSource,
      double pricePerChipHourUsd,
      String priceSource,
      double embodiedKgPerChip,
      double embodiedServerKgPerChip,
      double lifetimeYears,
      String embodiedSource) {

    public static final double SECONDS_PER_YEAR = 365.25 * 86_400;

    /**
     * The peak the delivered compute is counted at: the precision mix of the work, (1 - fp8_share) x dense BF16 +
     * fp8_share x dense FP8 (TFLOPS).
     */
    public double deliveredPeakTflops() {
      return (1 - fp8Share) * peakTflops + fp8Share * peakFp8Tflops;
    }

    /** Embodied kgCO2e per chip-second: (chip + its share of the server) / lifetime. Estimated. */
    public double embodiedKgPerChipSecond() {
      return (embodiedKgPerChip + embodiedServerKgPerChip) / (lifetimeYears * SECONDS_PER_YEAR);
    }

    /** Delivered TFLOPS per W at full load: the efficiency the published generation claims compare. */
    public double tflopsPerWattAtMax() {
      return deliveredPeakTflops() / maxPowerW;
    }
  }

  public record GpuBaseline(
      String name,
      double peakTflops,
      double pricePerGpuHourUsd,
      double referenceUtilization,
      String priceSource) {

    /** USD per PFLOP delivered by the baseline GPU running at its reference utilization. */
    public double usdPerPflop() {
      double pflopPerHour = peakTflops * referenceUtilization * 3600.0 / 1000.0;
      return pricePerGpuHourUsd / pflopPerHour;
    }
  }

  public record Workloads(
      double trainingShare,
      double inferenceShare,
      double flexShare,
      double reservedIdleShare,
      double maintenanceShare,
      int flexDayStartHour,
      int flexDayEndHour,
      int maxUltraserversPerJob,
      double trainingUtilization,
      double trainingJobJitter,
      double chipJitter,
      Duration checkpointEvery,
      Duration checkpointDuration,
      double checkpointUtilization,
      double trainingHbmShare,
      double inferenceTroughUtilization,
      double inferencePeakUtilization,
      int inferencePeakHour,
      int maxUltraserversPerService,
      double inferenceUltraserverJitter,
      double inferenceHbmBaseShare,
      double inferenceHbmLoadShare,
      double idleUtilization,
      double idleHbmShare,
      double hbmJitter,
      double reservationHeldShare,
      Map<String, Double> tenantMix) {

    /** Local hour of the quietest inference load: twelve hours from the busiest. */
    public int inferenceTroughHour() {
      return (inferencePeakHour + 12) % 24;
    }
  }

  public record Power(double noiseW) {}

  /**
   * Shape of the contracted renewable supply; how much of it each site has is per site. Solar follows local
   * standard time (the sun keeps no daylight saving time), wind a smooth, mean-reverting seeded walk.
   */
  public record Renewables(
      double solarSunriseHour,
      double solarSunsetHour,
      Duration windStep,
      double windPersistence) {}

  public record Faults(
      double stragglerShare,
      double stragglerSlowdown,
      double silentShare,
      Duration silentDuration,
      double eccBurstPerChipDay,
      int eccBurstSize,
      double eccUncorrectedPerBurst,
      double eccBackgroundPerHour,
      double driverReloadDays,
      double powerCapShare,
      double powerCapFraction,
      Duration powerCapDuration) {}

  public Site site(String id) {
    for (Site s : sites) {
      if (s.id().equals(id)) return s;
    }
    throw new IllegalArgumentException("unknown site '" + id + "'; configured sites: " + siteIds());
  }

  public Generation generation(String id) {
    Generation g = generations.get(id);
    if (g == null) {
      throw new IllegalArgumentException(
          "unknown generation '" + id + "'; configured generations: " + generations.keySet());
    }
    return g;
  }

  public List<String> siteIds() {
    return sites.stream().map(Site::id).toList();
  }

  /** Checks every value; throws one {@link ConfigException} listing all problems, each with its key. */
  public FleetConfig validate() {
    List<String> p = new ArrayList<>();
    Check c = new Check(p);
    c.range("fleet.chips", fleet.chips, 1, 100_000_000);
    c.range("fleet.chips_per_instance", fleet.chipsPerInstance, 1, 1024);
    c.range("fleet.instances_per_ultraserver", fleet.instancesPerUltraserver, 1, 1024);
    int perUs = fleet.chipsPerUltraserver();
    if (perUs > 0 && fleet.chips % perUs != 0) {
      p.add("fleet.chips: must be a multiple of " + perUs + " (one UltraServer), got " + fleet.chips);
    }
    c.durationRange("fleet.interval", fleet.interval, Duration.ofMillis(100), Duration.ofHours(1));
    if (fleet.interval != null && 60_000 % Math.max(1, fleet.interval.toMillis()) != 0) {
      p.add("fleet.interval: must divide one minute evenly (e.g. 1s, 5s, 10s, 30s, 1m), got "
          + Durations.format(fleet.interval));
    }
    c.shares("fleet.generation_mix", fleet.generationMix);
    for (String g : fleet.generationMix.keySet()) {
      if (!generations.containsKey(g)) {
        p.add("fleet.generation_mix." + g + ": no such generation; define it under generations (have "
            + generations.keySet() + ")");
      }
    }
    if (sites.isEmpty()) p.add("sites: at least one site is needed");
    if (sites.size() > 100) p.add("sites: at most 100 sites, got " + sites.size());
    if (generations.size() > 100) p.add("generations: at most 100 generations, got " + generations.size());
    double siteShares = 0;
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < sites.size(); i++) {
      Site s = sites.get(i);
      String k = "sites[" + i + "]";
      if (s.id == null || !s.id.matches("[a-z0-9][a-z0-9-]{0,31}")) {
        p.add(k + ".id: must be 1-32 lowercase letters, digits or '-', got '" + s.id + "'");
      } else if (!ids.add(s.id)) {
        p.add(k + ".id: duplicate site id '" + s.id + "'");
      }
      c.range(k + ".share", s.share, 0, 1);
      c.range(k + ".pue", s.pue, 1.0, 3.0);
      c.range(k + ".grid_factor_g_per_kwh", s.gridFactorGPerKwh, 0, 2000);
      c.range(k + ".solar_peak_share", s.solarPeakShare, 0, 1);
      c.range(k + ".wind_mean_share", s.windMeanShare, 0, 1);
      c.range(k + ".wind_variability", s.windVariability, 0, 1);
      if (s.timezone == null) p.add(k + ".timezone: required, an IANA zone such as America/Chicago");
      siteShares += s.share;
    }
    if (!sites.isEmpty() && Math.abs(siteShares - 1) > 1e-6) {
      p.add("sites[*].share: must sum to 1, got " + siteShares);
    }
    generations.forEach(
        (id, g) -> {
          String k = "generations." + id;
          c.range(k + ".peak_tflops", g.peakTflops, 1, 100_000);
          c.range(k + ".hbm_gib", g.hbmGib, 1, 10_000);
          c.range(k + ".max_power_w", g.maxPowerW, 1, 10_000);
          c.range(k + ".idle_power_w", g.idlePowerW, 0, g.maxPowerW);
          c.range(k + ".price_per_chip_hour_usd", g.pricePerChipHourUsd, 0, 1000);
          c.range(k + ".peak_fp8_tflops", g.peakFp8Tflops, 1, 100_000);
          c.range(k + ".fp8_share", g.fp8Share, 0, 1);
          c.range(k + ".embodied_kg_per_chip", g.embodiedKgPerChip, 0, 100_000);
          c.range(k + ".embodied_server_kg_per_chip", g.embodiedServerKgPerChip, 0, 100_000);
          c.range(k + ".lifetime_years", g.lifetimeYears, 1, 30);
        });
    c.range("gpu_baseline.peak_tflops", gpuBaseline.peakTflops, 1, 100_000);
    c.range("gpu_baseline.price_per_gpu_hour_usd", gpuBaseline.pricePerGpuHourUsd, 0.0001, 1000);
    c.range("gpu_baseline.reference_utilization", gpuBaseline.referenceUtilization, 0.01, 1);

    Workloads w = workloads;
    double kinds = w.trainingShare + w.inferenceShare + w.flexShare + w.reservedIdleShare + w.maintenanceShare;
    c.range("workloads.training_share", w.trainingShare, 0, 1);
    c.range("workloads.inference_share", w.inferenceShare, 0, 1);
    c.range("workloads.flex_share", w.flexShare, 0, 1);
    c.range("workloads.reserved_idle_share", w.reservedIdleShare, 0, 1);
    c.range("workloads.maintenance_share", w.maintenanceShare, 0, 1);
    if (Math.abs(kinds - 1) > 1e-6) {
      p.add("workloads.*_share: training + inference + flex + reserved_idle + maintenance must sum to 1, got "
          + kinds);
    }
    c.range("workloads.flex_day_start_hour", w.flexDayStartHour, 0, 23);
    c.range("workloads.flex_day_end_hour", w.flexDayEndHour, w.flexDayStartHour + 1, 24);
    c.range("workloads.max_ultraservers_per_job", w.maxUltraserversPerJob, 1, 100_000);
    c.range("workloads.training_utilization", w.trainingUtilization, 0, 1);
    c.range("workloads.training_job_jitter", w.trainingJobJitter, 0, 0.5);
    c.range("workloads.chip_jitter", w.chipJitter, 0, 0.5);
    c.durationRange("workloads.checkpoint_every", w.checkpointEvery, Duration.ofMinutes(1), Duration.ofDays(7));
    c.durationRange(
        "workloads.checkpoint_duration", w.checkpointDuration, Duration.ZERO, w.checkpointEvery);
    c.range("workloads.checkpoint_utilization", w.checkpointUtilization, 0, 1);
    c.range("workloads.training_hbm_share", w.trainingHbmShare, 0, 1);
    c.range("workloads.inference_trough_utilization", w.inferenceTroughUtilization, 0, 1);
    c.range("workloads.inference_peak_utilization", w.inferencePeakUtilization, w.inferenceTroughUtilization, 1);
    c.range("workloads.inference_peak_hour", w.inferencePeakHour, 0, 23);
    c.range("workloads.max_ultraservers_per_service", w.maxUltraserversPerService, 1, 100_000);
    c.range("workloads.inference_ultraserver_jitter", w.inferenceUltraserverJitter, 0, 0.5);
    c.range("workloads.inference_hbm_base_share", w.inferenceHbmBaseShare, 0, 1);
    c.range("workloads.inference_hbm_load_share", w.inferenceHbmLoadShare, 0, 1 - w.inferenceHbmBaseShare);
    c.range("workloads.idle_utilization", w.idleUtilization, 0, 0.05);
    c.range("workloads.idle_hbm_share", w.idleHbmShare, 0, 1);
    c.range("workloads.hbm_jitter", w.hbmJitter, 0, 0.2);
    c.range("workloads.reservation_held_share", w.reservationHeldShare, 0, 1);
    c.shares("workloads.tenant_mix", w.tenantMix);
    if (w.tenantMix != null && w.tenantMix.size() > 100) {
      p.add("workloads.tenant_mix: at most 100 tenants, got " + w.tenantMix.size());
    }
    if (w.tenantMix != null) {
      for (String t : w.tenantMix.keySet()) {
        if (!t.matches("[a-z0-9][a-z0-9-]{0,62}") || FleetLayout.RESERVED_NAMES.contains(t)) {
          p.add("workloads.tenant_mix." + t + ": a tenant id is 1-63 of a-z, 0-9 and '-' (a label value), and not "
              + FleetLayout.RESERVED_NAMES);
        }
      }
    }

    c.range("power.noise_w", power.noiseW, 0, 1000);

    Renewables r = renewables;
    c.range("renewables.solar_sunrise_hour", r.solarSunriseHour, 0, 23);
    c.range("renewables.solar_sunset_hour", r.solarSunsetHour, r.solarSunriseHour + 1, 24);
    c.durationRange("renewables.wind_step", r.windStep, Duration.ofHours(1), Duration.ofDays(7));
    if (r.windStep != null && r.windStep.toMillis() % 3_600_000L != 0) {
      p.add("renewables.wind_step: must be whole hours (e.g. 3h), got " + Durations.format(r.windStep));
    }
    c.range("renewables.wind_persistence", r.windPersistence, 0, 0.95);

    Faults f = faults;
    c.range("faults.straggler_share", f.stragglerShare, 0, 1);
    c.range("faults.straggler_slowdown", f.stragglerSlowdown, 0, 1);
    c.range("faults.silent_share", f.silentShare, 0, 1);
    c.durationRange("faults.silent_duration", f.silentDuration, Duration.ZERO, Duration.ofHours(24));
    c.range("faults.ecc_burst_per_chip_day", f.eccBurstPerChipDay, 0, 1);
    c.range("faults.ecc_burst_size", f.eccBurstSize, 0, 1_000_000);
    c.range("faults.ecc_uncorrected_per_burst", f.eccUncorrectedPerBurst, 0, 1);
    c.range("faults.ecc_background_per_hour", f.eccBackgroundPerHour, 0, 1_000_000);
    c.range("faults.driver_reload_days", f.driverReloadDays, 1, 365);
    c.range("faults.power_cap_share", f.powerCapShare, 0, 1);
    c.range("faults.power_cap_fraction", f.powerCapFraction, 0.1, 1);
    c.durationRange("faults.power_cap_duration", f.powerCapDuration, Duration.ZERO, Duration.ofHours(24));
    if (!p.isEmpty()) throw new ConfigException(p);
    return this;
  }

  private record Check(List<String> problems) {
    void range(String key, double v, double min, double max) {
      if (!(v >= min && v <= max)) {
        problems.add(key + ": must be in [" + fmt(min) + ", " + fmt(max) + "], got " + fmt(v));
      }
    }

    void durationRange(String key, Duration d, Duration min, Duration max) {
      if (d == null) {
        problems.add(key + ": required, a duration such as 10s, 30m or 1h");
      } else if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        problems.add(key + ": must be between " + Durations.format(min) + " and " + Durations.format(max)
            + ", got " + Durations.format(d));
      }
    }

    void shares(String key, Map<String, Double> shares) {
      if (shares == null || shares.isEmpty()) {
        problems.add(key + ": at least one entry is needed");
        return;
      }
      double sum = 0;
      for (var e : shares.entrySet()) {
        range(key + "." + e.getKey(), e.getValue(), 0, 1);
        sum += e.getValue();
      }
      if (Math.abs(sum - 1) > 1e-6) problems.add(key + ": shares must sum to 1, got " + sum);
    }

    private static String fmt(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
  }
}
