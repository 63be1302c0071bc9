package io.fleetpulse.dashboard;

import java.util.List;

/**
 * What the page receives, as JSON: immutable records, numbers in the units their names say, null where a figure
 * is undefined. The field names are the page's contract (dashboard.js reads them).
 */
final class Views {

  private Views() {}

  /** Where a group's figures came from. */
  enum Source {
    /** A SITE or FLEET record from the job's roll-up topics. */
    ROLLUP,
    /** Re-aggregated here from the UltraServer windows (used while no roll-up for the group has arrived). */
    DERIVED
  }

  /**
   * The figures of one group of chips (the fleet or one site) in one window.
   *
   * @param itPowerKw average IT power over the window: IT energy / window length
   * @param powerModelled true when any record behind these figures says its power comes from the power model
   */
  record Summary(
      String scope,
      String id,
      Source source,
      int ultraservers,
      int chips,
      long samples,
      Double utilizationAvg,
      Double utilizationP95,
      Double powerAvgW,
      Double powerMaxW,
      Double itPowerKw,
      Double itEnergyKwh,
      Double facilityEnergyKwh,
      Double idleEnergyKwh,
      Double deliveredPflop,
      Double tflopsPerW,
      Double carbonLocationKg,
      Double carbonMarketKg,
      Double carbonLocationGPerPflop,
      Double carbonMarketGPerPflop,
      Double costUsd,
      Double usdPerPflop,
      Double gpuUsdPerPflop,
      Double pricePerfVsGpu,
      boolean powerModelled) {}

  /**
   * One UltraServer ranked by what its unused capacity cost in the window.
   *
   * @param unusedCapacityUsd cost_usd * (1 - utilization_avg): chip time paid for and not used for compute
   */
  record WasteRow(
      int ultraserverId,
      String site,
      String generation,
      Double utilizationAvg,
      Double idleEnergyKwh,
      Double unusedCapacityUsd,
      Double costUsd,
      Double usdPerPflop,
      boolean powerModelled) {}

  /**
   * One window: the fleet, each site, and the most wasteful UltraServers; and when it got here. A window is pushed
   * again whenever more of its records arrive; the last push has them all.
   *
   * @param windowEnd exclusive end, event time (ms, UTC)
   * @param receivedAt this server's wall clock (ms) when the newest record behind this view arrived: receivedAt -
   *     windowEnd is the window's delay to the dashboard, when event time is wall-clock time (see LatencyView)
   * @param emittedAt the job's wall clock when it emitted the newest of those records (emitted_at), null when the
   *     records do not say (0): emittedAt - windowEnd is the job's share of the delay
   * @param live false when the newest record was read back on start (--history): its delay says when the
   *     dashboard started, not how late the stream is
   * @param publishedAt this server's wall clock when it sent this view: a browser's receipt time minus
   *     windowEnd is the delay from window end to that browser
   */
  record WindowView(long windowStart, long windowEnd, Summary fleet, List<Summary> sites, List<WasteRow> wasteful,
      long receivedAt, Long emittedAt, boolean live, long publishedAt) {}

  /**
   * One tenant in the tenant view's window, with its totals over every window the dashboard has counted. Rates
   * are the window's figure over its length: what the tenant spends or emits per hour at this window's pace.
   *
   * @param idleShare idleCostUsd / costUsd: the share of its cost paid for chip time that did no work (samples
   *     under 5% utilization), null when it cost nothing
   * @param totalWindows windows of this tenant counted in the totals
   */
  record TenantRow(
      String tenant,
      int ultraservers,
      int chips,
      Double utilizationAvg,
      Double costUsd,
      Double usdPerHour,
      Double idleCostUsd,
      Double idleShare,
      Double carbonLocationKg,
      Double carbonLocationKgPerHour,
      Double carbonMarketKg,
      Double carbonMarketKgPerHour,
      Double totalCostUsd,
      Double totalCarbonLocationKg,
      Double totalCarbonMarketKg,
      int totalWindows) {}

  /**
   * Who the fleet's cost and carbon go to: the tenants of the newest complete window (all its tenants' records in:
   * their samples add up to the fleet's, or a newer window has begun), ranked three ways, top {@code rows} each.
   * Every figure is from the job's TENANT records (level TENANT, topic fleet.metrics.tenant).
   *
   * @param windowStart null until a tenant window is complete
   * @param tenants tenants with a record in the window (each ranking shows the first of them)
   * @param costUsd the window's cost over all its tenants; the rates and idleShare likewise
   * @param totalsSince start of the oldest window counted in the totals, null before the first
   * @param totalWindows windows counted in the totals (read back with --history included)
   */
  record TenantView(
      Long windowStart,
      Long windowEnd,
      int tenants,
      Double costUsd,
      Double usdPerHour,
      Double idleShare,
      Double carbonLocationKg,
      Double carbonLocationKgPerHour,
      Double carbonMarketKg,
      Double carbonMarketKgPerHour,
      List<TenantRow> byCost,
      List<TenantRow> byCarbonLocation,
      List<TenantRow> byCarbonMarket,
      Long totalsSince,
      int totalWindows,
      Double totalCostUsd,
      Double totalCarbonLocationKg,
      Double totalCarbonMarketKg) {}

  /** The latest state of one alert (OPEN, then RESOLVED), as in the Avro Alert record. */
  record AlertView(
      String alertId,
      String kind,
      String status,
      String severity,
      long startTime,
      Long endTime,
      long updatedTime,
      String site,
      Integer ultraserverId,
      Integer workloadId,
      int chipCount,
      List<Integer> chips,
      String summary,
      Double observed,
      Double threshold,
      Double wastedEnergyKwh,
      Double wastedCostUsd,
      Double wastedCarbonKg) {}

  /**
   * How the stream is doing, sent every heartbeat.
   *
   * @param lastRecordAt wall-clock time the last window record arrived, null before the first
   * @param latestWindowEnd end of the newest window seen (event time), null before the first
   * @param records every record read from Kafka, shown or skipped
   * @param skipped records not shown, the sum of skippedByReason
   * @param skippedByReason per {@link SkipReason} key, every reason (zeros too)
   * @param lastSkipped where the last skipped record was (topic/partition/offset), why, and which field
   * @param kafka one line on the Kafka consumer: "reading", "no connection to ..." or the last error
   */
  record StatusView(
      long serverTime,
      Long lastRecordAt,
      Long latestWindowEnd,
      long records,
      long skipped,
      java.util.Map<String, Long> skippedByReason,
      String lastSkipped,
      String kafka,
      int browsers,
      long staleAfterMs,
      LatencyView latency) {}

  /**
   * How late the windows are, over the recent windows that arrived live.
   *
   * @param clock "real-time" when event time moves with the wall clock, so the delays below are true; "fast"
   *     when it runs ahead of it (--speedup > 1, or the job catching up), so window ends are not wall-clock times
   *     and every delay is null; "unknown" until a window has arrived live
   * @param note one sentence saying the same for a person
   * @param eventTimeRate event time per wall-clock time over the newest live windows (60 at --speedup 60), null
   *     with fewer than two
   * @param newestWindowAgeMs this server's clock minus the end of the newest window shown, null unless real-time
   * @param windows live windows measured
   * @param lastDelayMs receivedAt - windowEnd of the newest live window
   * @param lastJobDelayMs emittedAt - windowEnd of the newest live window, null when it has no emitted_at
   * @param delayMs receivedAt - windowEnd over the windows measured
   * @param jobDelayMs emittedAt - windowEnd over those of them with emitted_at
   */
  record LatencyView(
      String clock,
      String note,
      Double eventTimeRate,
      Long newestWindowAgeMs,
      int windows,
      Long lastDelayMs,
      Long lastJobDelayMs,
      Percentiles delayMs,
      Percentiles jobDelayMs) {}

  /** Nearest-rank percentiles of some delays, ms. */
  record Percentiles(long p50, long p95, long max, int windows) {}

  /**
   * Everything a browser needs on connect: the kept windows (oldest first), recent alerts, the tenant view (null
   * before the first tenant record), status.
   */
  record Snapshot(String instance, int windowsKept, List<WindowView> windows, List<AlertView> alerts,
      TenantView tenants, StatusView status) {}
}
