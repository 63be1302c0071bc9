package io.fleetpulse.metrics;

/**
 * The factors that turn one UltraServer's readings into metrics: its site's PUE, annual grid factor, residual-mix
 * factor and grid carbon-free share (the fallback when no hourly intensity is at hand), its chip generation's
 * delivered peak, HBM capacity, price and embodied carbon per chip-second (docs/design.md §3). Plain numbers, so that
 * the job (from its validated factor table) and the dashboard's fixture (from the fleet config) hand over the same
 * thing.
 */
public record UltraServerFactors(
    double pue, double gridFactorGPerKwh, double residualGPerKwh, double gridCfeShare, double peakTflops,
    double hbmGib, double pricePerChipHourUsd, double embodiedKgPerChipSecond) {

  /** Without residual mix, grid CFE share or embodied carbon: the residual mix is the grid factor. */
  public UltraServerFactors(double pue, double gridFactorGPerKwh, double peakTflops, double hbmGib,
      double pricePerChipHourUsd) {
    this(pue, gridFactorGPerKwh, gridFactorGPerKwh, 0, peakTflops, hbmGib, pricePerChipHourUsd, 0);
  }
}
