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
  /** Alert updates (OPEN and RESOLVED). */
  public static final String ALERTS = "alerts";
  /** ChipSample, the optional raw archive. */
  public static final String CHIP_TELEMETRY = "chip_telemetry";

  public static final List<String> ALL =
      List.of(ULTRASERVER_WINDOW, SITE_WINDOW, GENERATION_WINDOW, FLEET_WINDOW, ALERTS, CHIP_TELEMETRY);

  private Tables() {}
}
