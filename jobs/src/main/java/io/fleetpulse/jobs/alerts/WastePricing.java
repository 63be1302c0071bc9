package io.fleetpulse.jobs.alerts;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.window.ChipWindowStats;
import java.io.Serializable;

/** Prices what a chip or an UltraServer spent in a window, with the factors the metrics use. */
final class WastePricing implements Serializable {

  private static final long serialVersionUID = 1L;
  private final MetricFactors factors;

  WastePricing(MetricFactors factors) {
    this.factors = factors;
  }

  /** Everything chip {@code i} of the window cost: its chip-time at the chip price, its facility energy and carbon. */
  Waste chip(ChipWindowStats s, int i) {
    MetricFactors.SiteFactors site = factors.site(s.site);
    double kwh = s.energyJ[i] / 3.6e6 * site.pue();
    double cost = s.chipSeconds[i] / 3600.0 * factors.generation(s.generation).pricePerChipHourUsd();
    return new Waste(kwh, cost, kwh * site.gridFactorGPerKwh() / 1000.0);
  }

  /** Everything the UltraServer's window cost. */
  Waste ultraserver(ChipWindowStats s) {
    return new Waste(s.facilityEnergyKwh, s.costUsd, s.carbonLocationKg);
  }

  /** Cost of chips that sent nothing for a span: paid for, unobserved. Their energy is unknown, so it is not counted. */
  Waste silent(String generation, int chips, long millis) {
    return new Waste(0, chips * millis / 3_600_000.0 * factors.generation(generation).pricePerChipHourUsd(), 0);
  }

  MetricFactors.GenerationFactors generation(String id) {
    return factors.generation(id);
  }
}
