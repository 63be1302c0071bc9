package io.fleetpulse.jobs.monitor;

import io.fleetpulse.schema.WindowMetrics;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What the gauges of one roll-up group (a site, a generation, the fleet) say: its latest window, reduced to a few
 * numbers when the window arrives, so a scrape reads fields and computes nothing. One immutable value per window,
 * swapped in whole: the gauges of one scrape come from one window, save for a scrape that lands on the swap.
 *
 * @param windowStartMs the window's start (which window is the latest)
 * @param windowEndSeconds the window's end, Unix seconds: which window the other gauges describe
 * @param powerWatts mean IT power over the window: it_energy_kwh x 3.6e6 / window seconds (modelled)
 * @param costUsdPerHour cost_usd per hour of window: what the group's chip time costs (idle chips too)
 * @param idleCostUsdPerHour cost_usd x idle_samples / samples, per hour of window: the chip time that sat idle at the
 *     group's mean chip price (exact for a generation, one price; a mix of prices above it)
 */
public record WindowGauges(
    long windowStartMs,
    double windowEndSeconds,
    double chipsReporting,
    double powerWatts,
    double itEnergyKwh,
    double facilityEnergyKwh,
    double utilization,
    double carbonLocationKg,
    double carbonMarketKg,
    double carbonLocationGPerPflop,
    double usdPerPflop,
    double costUsdPerHour,
    double idleCostUsdPerHour) {

  /** One gauge: its name under the group and how it reads a window. */
  public record Gauge(String name, ToDoubleFunction<WindowGauges> value) {}

  /** Every gauge of a group, in the order they are registered: docs/monitoring.md lists them. */
  public static final List<Gauge> GAUGES = List.of(
      new Gauge("window_end_seconds", WindowGauges::windowEndSeconds),
      new Gauge("chips_reporting", WindowGauges::chipsReporting),
      new Gauge("power_watts", WindowGauges::powerWatts),
      new Gauge("it_energy_kwh", WindowGauges::itEnergyKwh),
      new Gauge("facility_energy_kwh", WindowGauges::facilityEnergyKwh),
      new Gauge("utilization", WindowGauges::utilization),
      new Gauge("carbon_location_kg", WindowGauges::carbonLocationKg),
      new Gauge("carbon_market_kg", WindowGauges::carbonMarketKg),
      new Gauge("carbon_location_g_per_pflop", WindowGauges::carbonLocationGPerPflop),
      new Gauge("usd_per_pflop", WindowGauges::usdPerPflop),
      new Gauge("cost_usd_per_hour", WindowGauges::costUsdPerHour),
      new Gauge("idle_cost_usd_per_hour", WindowGauges::idleCostUsdPerHour));

  public static WindowGauges of(WindowMetrics m) {
    long start = m.getWindowStart().toEpochMilli();
    long end = m.getWindowEnd().toEpochMilli();
    double seconds = (end - start) / 1000.0;
    double idleShare = m.getSamples() > 0 ? (double) m.getIdleSamples() / m.getSamples() : 0;
    return new WindowGauges(start, end / 1000.0, m.getChipsReporting(), powerWatts(m), m.getItEnergyKwh(),
        m.getFacilityEnergyKwh(), m.getUtilizationAvg(), m.getCarbonLocationKg(), m.getCarbonMarketKg(),
        m.getCarbonLocationGPerPflop(), m.getUsdPerPflop(), m.getCostUsd() * 3600 / seconds,
        m.getCostUsd() * idleShare * 3600 / seconds);
  }

  /** Mean IT power over the window, W: the energy the window's samples stand for over its length. */
  public static double powerWatts(WindowMetrics m) {
    double seconds = (m.getWindowEnd().toEpochMilli() - m.getWindowStart().toEpochMilli()) / 1000.0;
    return m.getItEnergyKwh() * 3.6e6 / seconds;
  }
}
