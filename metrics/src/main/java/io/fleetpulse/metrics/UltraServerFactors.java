package io.fleetpulse.metrics;

/**
 * The factors that turn one UltraServer's readings into metrics: its site's PUE and grid factor, its chip
 * generation's peak, HBM capacity and price (docs/design.md §3). Plain numbers, so that the job (from its
 * validated factor table) and the dashboard's fixture (from the fleet config) hand over the same thing.
 */
public record UltraServerFactors(
    double pue, double gridFactorGPerKwh, double peakTflops, double hbmGib, double pricePerChipHourUsd) {}
