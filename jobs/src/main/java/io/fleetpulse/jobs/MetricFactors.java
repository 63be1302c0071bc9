package io.fleetpulse.jobs;

import io.fleetpulse.model.FleetConfig;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The published factors the metrics are computed with (DESIGN.md section 4), taken from the fleet config and
 * shipped to the operators: PUE and grid factor per site; peak, HBM, power and price per generation; the GPU
 * baseline. A small serializable copy, so the operators do not carry the whole config.
 */
public final class MetricFactors implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Below this utilization a sample counts as idle: power drawn for no work (DESIGN.md section 3). */
  public static final double IDLE_UTILIZATION = 0.05;

  public record SiteFactors(double pue, double gridFactorGPerKwh) implements Serializable {}

  public record GenerationFactors(double peakTflops, double hbmGib, double maxPowerW, double pricePerChipHourUsd)
      implements Serializable {}

  private final Map<String, SiteFactors> sites;
  private final Map<String, GenerationFactors> generations;
  private final double gpuReferenceUsdPerPflop;

  public MetricFactors(Map<String, SiteFactors> sites, Map<String, GenerationFactors> generations,
      double gpuReferenceUsdPerPflop) {
    this.sites = new HashMap<>(sites);
    this.generations = new HashMap<>(generations);
    this.gpuReferenceUsdPerPflop = gpuReferenceUsdPerPflop;
  }

  public static MetricFactors from(FleetConfig cfg) {
    Map<String, SiteFactors> s = new HashMap<>();
    cfg.sites().forEach(site -> s.put(site.id(), new SiteFactors(site.pue(), site.gridFactorGPerKwh())));
    Map<String, GenerationFactors> g = new HashMap<>();
    cfg.generations().forEach((id, gen) ->
        g.put(id, new GenerationFactors(gen.peakTflops(), gen.hbmGib(), gen.maxPowerW(), gen.pricePerChipHourUsd())));
    return new MetricFactors(s, g, cfg.gpuBaseline().usdPerPflop());
  }

  /** Null when the site is not configured. */
  public SiteFactors site(String id) {
    return sites.get(id);
  }

  /** Null when the generation is not configured. */
  public GenerationFactors generation(String id) {
    return generations.get(id);
  }

  public double gpuReferenceUsdPerPflop() {
    return gpuReferenceUsdPerPflop;
  }
}
