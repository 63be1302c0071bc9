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

  /** One window: the fleet, each site, and the most wasteful UltraServers. */
  record WindowView(long windowStart, long windowEnd, Summary fleet, List<Summary> sites, List<WasteRow> wasteful) {}

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
      long staleAfterMs) {}

  /** Everything a browser needs on connect: the kept windows (oldest first), recent alerts, status. */
  record Snapshot(String instance, int windowsKept, List<WindowView> windows, List<AlertView> alerts,
      StatusView status) {}
}
