package io.fleetpulse.jobs.factors;

import io.fleetpulse.metrics.FactorsUsed;
import io.fleetpulse.metrics.ReadingSums;
import io.fleetpulse.metrics.UltraServerFactors;
import io.fleetpulse.model.FleetConfig;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The published factors the metrics are computed with (docs/design.md §2), taken from the fleet config and
 * shipped to the operators: PUE and grid factor per site; peak, HBM, power and price per generation; the GPU
 * baseline; and where each comes from, so every output row can say which factors it used.
 */
public final class MetricFactors implements Serializable {

  private static final long serialVersionUID = 2L;

  /** Below this utilization a sample counts as idle: power drawn for no work (docs/design.md §3). */
  public static final double IDLE_UTILIZATION = ReadingSums.IDLE_UTILIZATION;

  public record SiteFactors(double pue, double gridFactorGPerKwh, String provenance) implements Serializable {
    public SiteFactors(double pue, double gridFactorGPerKwh) {
      this(pue, gridFactorGPerKwh, "");
    }
  }

  public record GenerationFactors(double peakTflops, double hbmGib, double idlePowerW, double maxPowerW,
      double pricePerChipHourUsd, String provenance) implements Serializable {
    public GenerationFactors(double peakTflops, double hbmGib, double maxPowerW, double pricePerChipHourUsd) {
      this(peakTflops, hbmGib, 0, maxPowerW, pricePerChipHourUsd, "");
    }
  }

  private final Map<String, SiteFactors> sites;
  private final Map<String, GenerationFactors> generations;
  private final double gpuReferenceUsdPerPflop;
  private final String gpuProvenance;

  public MetricFactors(Map<String, SiteFactors> sites, Map<String, GenerationFactors> generations,
      double gpuReferenceUsdPerPflop, String gpuProvenance) {
    this.sites = new HashMap<>(sites);
    this.generations = new HashMap<>(generations);
    this.gpuReferenceUsdPerPflop = gpuReferenceUsdPerPflop;
    this.gpuProvenance = gpuProvenance;
  }

  public static MetricFactors from(FleetConfig cfg) {
    Map<String, SiteFactors> s = new HashMap<>();
    cfg.sites().forEach(site -> s.put(site.id(), new SiteFactors(site.pue(), site.gridFactorGPerKwh(),
        String.format("%s PUE %s (%s), grid %s %s gCO2e/kWh (%s)", site.id(), num(site.pue()), site.pueSource(),
            site.gridRegion(), num(site.gridFactorGPerKwh()), site.gridFactorSource()))));
    Map<String, GenerationFactors> g = new HashMap<>();
    cfg.generations().forEach((id, gen) -> g.put(id, new GenerationFactors(gen.peakTflops(), gen.hbmGib(),
        gen.idlePowerW(), gen.maxPowerW(), gen.pricePerChipHourUsd(),
        String.format("%s %s TFLOPS, %s W max (modelled), $%s/chip-h (%s)", id, num(gen.peakTflops()),
            num(gen.maxPowerW()), num(gen.pricePerChipHourUsd()), gen.priceSource()))));
    FleetConfig.GpuBaseline gpu = cfg.gpuBaseline();
    String gpuText = String.format("GPU baseline %s, %s TFLOPS at %s%%, $%s/h (%s)", gpu.name(),
        num(gpu.peakTflops()), num(gpu.referenceUtilization() * 100), num(gpu.pricePerGpuHourUsd()),
        gpu.priceSource());
    return new MetricFactors(s, g, gpu.usdPerPflop(), gpuText);
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
    return new UltraServerFactors(s.pue(), s.gridFactorGPerKwh(), g.peakTflops(), g.hbmGib(), g.pricePerChipHourUsd());
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
