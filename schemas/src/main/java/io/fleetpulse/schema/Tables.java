package io.fleetpulse.schema;

import java.util.List;

/**
 * The Parquet tables under the output root (docs/design.md §4), each Hive-partitioned date=YYYY-MM-DD/hour=HH by
 * its event time: window_start for windows, updated_time for alerts, event_time for raw telemetry.
 */
public final class Tables {

  /** WindowMetrics, level ULTRASERVER. */
  public static final String ULTRASERVER_WINDOW = "ultraserver_window";
  /** WindowMetrics, level SITE. */
  public static final String SITE_WINDOW = "site_window";
  /** WindowMetrics, level GENERATION (added to the brief's tables, docs/design.md §8: one level per table). */
  public static final String GENERATION_WINDOW = "generation_window";
  /** WindowMetrics, level FLEET. */
  public static final String FLEET_WINDOW = "fleet_window";
  /** WindowMetrics, level WORKLOAD: one row per workload (job, service, reservation, unplaced, unknown) and window. */
  public static final String WORKLOAD_WINDOW = "workload_window";
  /** WindowMetrics, level TENANT: one row per tenant (unplaced and unknown included) and window. */
  public static final String TENANT_WINDOW = "tenant_window";
  /*
   * Downsampled windows (WindowMetrics, same columns): one row per group and hour (*_hour, partitioned
   * date=/hour=) or day (*_day, partitioned date= only, UTC days), re-aggregated exactly from the minute windows'
   * sums, so that long ranges are read from few rows and minute partitions can be retired.
   */
  public static final String ULTRASERVER_HOUR = "ultraserver_hour";
  public static final String SITE_HOUR = "site_hour";
  public static final String GENERATION_HOUR = "generation_hour";
  public static final String FLEET_HOUR = "fleet_hour";
  public static final String WORKLOAD_HOUR = "workload_hour";
  public static final String TENANT_HOUR = "tenant_hour";
  public static final String SITE_DAY = "site_day";
  public static final String GENERATION_DAY = "generation_day";
  public static final String FLEET_DAY = "fleet_day";
  public static final String WORKLOAD_DAY = "workload_day";
  public static final String TENANT_DAY = "tenant_day";
  /** Alert updates (OPEN and RESOLVED). */
  public static final String ALERTS = "alerts";
  /** ChipSample, the optional raw archive. */
  public static final String CHIP_TELEMETRY = "chip_telemetry";

  public static final List<String> HOURLY =
      List.of(ULTRASERVER_HOUR, SITE_HOUR, GENERATION_HOUR, FLEET_HOUR, WORKLOAD_HOUR, TENANT_HOUR);
  public static final List<String> DAILY = List.of(SITE_DAY, GENERATION_DAY, FLEET_DAY, WORKLOAD_DAY, TENANT_DAY);

  public static final List<String> ALL = java.util.stream.Stream.of(
      List.of(ULTRASERVER_WINDOW, SITE_WINDOW, GENERATION_WINDOW, FLEET_WINDOW, WORKLOAD_WINDOW, TENANT_WINDOW),
      HOURLY, DAILY, List.of(ALERTS, CHIP_TELEMETRY)).flatMap(List::stream).toList();

  /** The table of a level's windows at a grain ("window", "hour" or "day"): site_window, site_hour, site_day. */
  public static String of(AggregationLevel level, String grain) {
    return level.name().toLowerCase(java.util.Locale.ROOT) + "_" + grain;
  }

  /** The minute-window table a downsampled table is computed from: site_hour and site_day from site_window. */
  public static String minuteTableOf(String downsampled) {
    return downsampled.replaceFirst("_(hour|day)$", "_window");
  }

  private Tables() {}
}
