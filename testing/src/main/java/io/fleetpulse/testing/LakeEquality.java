package io.fleetpulse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Two lakes hold the same rows: every table, every figure (the columns of the Avro schemas that are numbers), row for
 * row by its key. UltraServer windows and the raw archive add samples in partition order, the same in every run:
 * bit for bit. Roll-ups add UltraServer windows in arrival order, which differs between runs: equal up to
 * floating-point rounding, and their percentiles (from sketches merged in that order) are left out. {@code emitted_at}
 * says when, not what, and is left out.
 */
public final class LakeEquality {

  static final double ROUNDING = 1e-12;

  private LakeEquality() {}

  public static void assertEqual(Path expected, Path actual) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      List<String> windows = numbers(WindowMetrics.getClassSchema(), "emitted_at");
      List<String> rollUps = numbers(WindowMetrics.getClassSchema(), "emitted_at", "utilization_p50",
          "utilization_p95", "utilization_p99");
      same(db, expected, actual, Tables.ULTRASERVER_WINDOW, List.of("ultraserver_id", "window_start"), windows, 0);
      same(db, expected, actual, Tables.SITE_WINDOW, List.of("site", "window_start"), rollUps, ROUNDING);
      same(db, expected, actual, Tables.GENERATION_WINDOW, List.of("generation", "window_start"), rollUps, ROUNDING);
      same(db, expected, actual, Tables.FLEET_WINDOW, List.of("window_start"), rollUps, ROUNDING);
      same(db, expected, actual, Tables.ALERTS, List.of("alert_id", "status"),
          List.of("observed", "wasted_cost_usd", "wasted_energy_kwh", "wasted_carbon_kg", "end_ms"), ROUNDING);
      if (actual.resolve(Tables.CHIP_TELEMETRY).toFile().exists()) {
        same(db, expected, actual, Tables.CHIP_TELEMETRY, List.of("chip_id", "event_time"),
            numbers(ChipSample.getClassSchema()), 0);
      }
    }
  }

  /** The number columns of a schema (nullable ones too), but the ones named. */
  static List<String> numbers(Schema schema, String... except) {
    List<String> out = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (List.of(except).contains(f.name())) continue;
      Schema t = f.schema();
      if (t.getType() == Schema.Type.UNION) t = t.getTypes().stream().filter(x -> x.getType() != Schema.Type.NULL)
          .findFirst().orElse(t);
      boolean number = switch (t.getType()) {
        case INT, LONG, FLOAT, DOUBLE -> t.getLogicalType() == null;
        default -> false;
      };
      if (number) out.add(f.name());
    }
    return out;
  }

  static void same(Connection db, Path a, Path b, String table, List<String> keys, List<String> values,
      double tolerance) throws Exception {
    Map<String, Double> d = LakeComparison.compare(db, a, b, table, keys, values);
    assertThat(d.get("rows_a")).as("%s rows", table).isPositive();
    assertThat(d.get("rows_b")).as("%s rows in %s", table, b).isEqualTo(d.get("rows_a"));
    assertThat(d.get("duplicates_b")).as("%s duplicates in %s", table, b).isZero();
    assertThat(d.get("one_side_only")).as("%s rows missing or extra in %s", table, b).isZero();
    for (String v : values) {
      assertThat(d.get(v)).as("%s.%s in %s", table, v, b).isLessThanOrEqualTo(tolerance);
    }
  }

}
