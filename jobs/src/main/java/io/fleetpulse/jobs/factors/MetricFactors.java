package io.fleetpulse.jobs.factors;

import io.fleetpulse.metrics.FactorsUsed;
import io.fleetpulse.metrics.ReadingSums;
import io.fleetpulse.metrics.UltraServerFactors;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.GridProfile;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The published factors the metrics are computed with (docs/design.md §2), taken from the fleet config and
 * shipped to the operators: PUE and grid factor per site; peak, HBM, power and price per generation; the GPU
 * baseline; and where each comes from, so every output row can say which factors it used.
 */
public final class MetricFactors implements Serializable {

  private static final long serialVersionUID = 3L;

  /** Below this utilization a sample counts as idle: power drawn for no work (docs/design.md §3). */
  public static final double IDLE_UTILIZATION = ReadingSums.IDLE_UTILIZATION;

  /**
   * A site's PUE and its annual grid figures: the eGRID factor, the residual mix and the grid's carbon-free share
   * (from the grid profile of its region), the fallback for a window whose hourly intensity does not come.
   */
  public record SiteFactors(double pue, double gridFactorGPerKwh, double residualGPerKwh, double gridCfeShare,
      String provenance) implements Serializable {
    public SiteFactors(double pue, double gridFactorGPerKwh) {
      this(pue, gridFactorGPerKwh, gridFactorGPerKwh, 0, "");
    }
  }

  public record GenerationFactors(double peakTflops, double hbmGib, double idlePowerW, double maxPowerW,
      double pricePerChipHourUsd, double embodiedKgPerChipSecond, String provenance) implements Serializable {
    public GenerationFactors(double peakTflops, double hbmGib, double maxPowerW, double pricePerChipHourUsd) {
      this(peakTflops, hbmGib, 0, maxPowerW, pricePerChipHourUsd, 0, "");
    }
  }

  private final Map<String, SiteFactors> sites;
  private final Map<String, GenerationFactors> generations;
  private final double gpuReferenceUsdPerPflop;
  private final String gpuProvenance;
  private final Attribution attribution;

  public MetricFactors(Map<String, SiteFactors> sites, Map<String, GenerationFactors> generations,
      double gpuReferenceUsdPerPflop, String gpuProvenance) {
    this(sites, generations, gpuReferenceUsdPerPflop, gpuProvenance, Attribution.none());
  }

  public MetricFactors(Map<String, SiteFactors> sites, Map<String, GenerationFactors> generations,
      double gpuReferenceUsdPerPflop, String gpuProvenance, Attribution attribution) {
    this.sites = new HashMap<>(sites);
    this.generations = new HashMap<>(generations);
    this.gpuReferenceUsdPerPflop = gpuReferenceUsdPerPflop;
    this.gpuProvenance = gpuProvenance;
    this.attribution = attribution;
  }

  /** Who windows are charged to: the config's workloads and tenants. */
  public Attribution attribution() {
    return attribution;
  }

  public static MetricFactors from(FleetConfig cfg) {
    GridProfile profile = GridProfile.defaults();
    Map<String, SiteFactors> s = new HashMap<>();
    cfg.sites().forEach(site -> {
      GridProfile.Region region = profile.region(site.gridRegion());
      double residual = region == null ? site.gridFactorGPerKwh() : region.residualGPerKwh();
      double cfe = region == null ? 0 : region.cfeMean();
      s.put(site.id(), new SiteFactors(site.pue(), site.gridFactorGPerKwh(), residual, cfe,
          String.format("%s PUE %s (%s), grid %s %s gCO2e/kWh (%s)", site.id(), num(site.pue()), site.pueSource(),
              site.gridRegion(), num(site.gridFactorGPerKwh()), site.gridFactorSource())));
    });
    Map<String, GenerationFactors> g = new HashMap<>();
    cfg.generations().forEach((id, gen) -> g.put(id, new GenerationFactors(gen.deliveredPeakTflops(), gen.hbmGib(),
        gen.idlePowerW(), gen.maxPowerW(), gen.pricePerChipHourUsd(), gen.embodiedKgPerChipSecond(),
        String.format("%s %s TFLOPS (FP8 share %s; %s), %s W max (modelled: %s), $%s/chip-h (%s), embodied %s "
            + "kgCO2e/chip over %s y (%s)", id, num(gen.deliveredPeakTflops()), num(gen.fp8Share()),
            gen.peakSource(), num(gen.maxPowerW()), gen.powerSource(), num(gen.pricePerChipHourUsd()),
            gen.priceSource(), num(gen.embodiedKgPerChip() + gen.embodiedServerKgPerChip()),
            num(gen.lifetimeYears()), gen.embodiedSource()))));
    FleetConfig.GpuBaseline gpu = cfg.gpuBaseline();
    String gpuText = String.format("GPU baseline %s, %s TFLOPS at %s%%, $%s/h (%s)", gpu.name(),
        num(gpu.peakTflops()), num(gpu.referenceUtilization() * 100), num(gpu.pricePerGpuHourUsd()),
        gpu.priceSource());
    return new MetricFactors(s, g, gpu.usdPerPflop(), gpuText, Attribution.of(new FleetLayout(cfg)));
  }

  /** The configured site ids. */
  public java.util.Set<String> siteIds() {
    return java.util.Collections.unmodifiableSet(sites.keySet());
  }

  /** The configured generation ids. */
  public java.util.Set<String> generationIds() {
    return java.util.Collections.unmodifiableSet(generations.keySet());
  }

  /** Null when the site is not configured. */
  public SiteFactors site(String id) {
    return sites.get(id);
  }

  /** Null when the generation is not configured. */
  public GenerationFactors generation(String id) {
    return generations.get(id);
  }

  /** The numbers an UltraServer of this site and generation turns its readings into metrics with. */
  public UltraServerFactors ultraServer(String site, String generation) {
    SiteFactors s = sites.get(site);
    GenerationFactors g = generations.get(generation);
    return new UltraServerFactors(s.pue(), s.gridFactorGPerKwh(), s.residualGPerKwh(), s.gridCfeShare(),
        g.peakTflops(), g.hbmGib(), g.pricePerChipHourUsd(), g.embodiedKgPerChipSecond());
  }

  public double gpuReferenceUsdPerPflop() {
    return gpuReferenceUsdPerPflop;
  }

  /** The factors an UltraServer's metrics use, with their sources: the factors_used column. */
  public String describe(String site, String generation) {
    return FactorsUsed.join(sites.get(site).provenance(), generations.get(generation).provenance(), gpuProvenance);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
