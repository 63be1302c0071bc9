package io.fleetpulse.schema;

import java.util.List;

/**
 * The Kafka topics of FleetPulse (docs/design.md §4): their names are part of the wire contract;
 * io.fleetpulse.platform.TopicAdmin creates them.
 */
public final class Topics {

  public static final String TELEMETRY = "fleet.telemetry";
  public static final String DEAD_LETTER = "fleet.telemetry.dlq";
  public static final String METRICS_ULTRASERVER = "fleet.metrics.ultraserver";
  public static final String METRICS_SITE = "fleet.metrics.site";
  /** Fleet-level windows, and the per-generation roll-ups (level GENERATION) beside them. */
  public static final String METRICS_FLEET = "fleet.metrics.fleet";
  /** Workload windows (key: workload), for chargeback views. */
  public static final String METRICS_WORKLOAD = "fleet.metrics.workload";
  /** Tenant windows (key: tenant): the dashboard's tenant view. */
  public static final String METRICS_TENANT = "fleet.metrics.tenant";
  public static final String ALERTS = "fleet.alerts";
  /** Hourly grid intensity per site (GridIntensity records, keyed by site): written ahead of the telemetry. */
  public static final String GRID_INTENSITY = "fleet.grid.intensity";

  public static final List<String> ALL =
      List.of(TELEMETRY, DEAD_LETTER, METRICS_ULTRASERVER, METRICS_SITE, METRICS_FLEET, METRICS_WORKLOAD,
      METRICS_TENANT, ALERTS, GRID_INTENSITY);

  private Topics() {}
}
