package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.schema.Tables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The workload, tenant, hour and day tables of a lake the real pipeline wrote (Kafka, MiniCluster, Parquet; a day
 * of a small mixed fleet). Two oracles: per tenant, the generator's sample function with the layout's tenants
 * ({@link SampleOracle}: ingestion and attribution); and, for the re-aggregations, DuckDB sums of the job's own
 * minute rows (that checks the formulas, not ingestion).
 */
@Timeout(300)
class DownsampledAndAttributedPipelineIT extends PipelineLakeQueries {

  static final List<String> SUMS = List.of("samples", "ultraservers", "chip_seconds", "it_energy_kwh",
      "facility_energy_kwh", "carbon_location_kg", "carbon_market_kg", "cost_usd", "idle_cost_usd",
      "idle_energy_kwh", "delivered_pflop", "embodied_carbon_kg");

  @Test
  void everyTenantIsChargedWhatItsUltraServersUsed() {
    FleetLayout layout = lake.model.layout();
    Map<String, SampleOracle.Group> expected = oracle.groupBy(w -> {
      int workload = layout.workload(w.ultraserver);
      return workload < 0 ? "unplaced" : layout.tenantOf(workload);
    });
    List<Map<String, Object>> rows = CollectedRows.query(sql, "SELECT tenant, sum(cost_usd) AS cost_usd, "
        + "sum(facility_energy_kwh) AS facility_energy_kwh, sum(carbon_market_kg) AS carbon_market_kg, "
        + "sum(idle_cost_usd) AS idle_cost_usd, sum(samples) AS samples FROM tenant_window GROUP BY tenant").rows;
    assertThat(rows.stream().map(r -> (String) r.get("tenant"))).containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(expected.keySet()).hasSizeGreaterThan(3);
    for (Map<String, Object> r : rows) {
      SampleOracle.Group g = expected.get((String) r.get("tenant"));
      assertThat(((Number) r.get("samples")).longValue()).isEqualTo(g.samples);
      relative(r, "cost_usd", g.costUsd);
      relative(r, "facility_energy_kwh", g.facilityKwh);
      relative(r, "carbon_market_kg", g.carbonMarketKg);
      relative(r, "idle_cost_usd", g.idleCostUsd);
    }
  }

  @Test
  void workloadAndTenantWindowsSumToTheFleetsExactly() {
    for (String table : List.of(Tables.WORKLOAD_WINDOW, Tables.TENANT_WINDOW)) {
      List<Map<String, Object>> rows = CollectedRows.query(sql, "WITH parts AS (SELECT window_start, "
          + sums("p") + " FROM " + table + " p GROUP BY window_start) SELECT f.window_start, " + pairs()
          + " FROM fleet_window f FULL JOIN parts p USING (window_start)").rows;
      assertThat(rows).as(table).hasSize(1440);
      for (Map<String, Object> r : rows) assertPairs(table + " " + r.get("window_start"), r);
    }
  }

  @Test
  void everyHourRowIsTheSumOfItsMinuteRowsAndEveryDayRowOfItsHours() {
    Map<String, String> groups = Map.of("ultraserver", "ultraserver_id, workload, tenant", "site", "site",
        "generation", "generation", "fleet", "level", "workload", "workload, tenant", "tenant", "tenant");
    for (Map.Entry<String, String> level : groups.entrySet()) {
      String hour = level.getKey() + "_hour";
      String finer = level.getKey() + "_window";
      List<Map<String, Object>> rows = CollectedRows.query(sql, coarserVsSums(hour, finer, level.getValue(),
          3_600_000L)).rows;
      assertThat(rows).as(hour).hasSizeGreaterThanOrEqualTo(24);
      for (Map<String, Object> r : rows) assertPairs(hour, r);
      if (level.getKey().equals("ultraserver")) continue;
      String day = level.getKey() + "_day";
      rows = CollectedRows.query(sql, coarserVsSums(day, hour, level.getValue(), 86_400_000L)).rows;
      assertThat(rows).as(day).isNotEmpty();
      for (Map<String, Object> r : rows) assertPairs(day, r);
    }
  }

  /** Each coarser row beside the sums of the finer rows of its group and period (UTC, by epoch: no time zone). */
  private static String coarserVsSums(String coarser, String finer, String group, long periodMs) {
    String bucket = "epoch_ms(window_start) // " + periodMs + " AS bucket";
    return "WITH parts AS (SELECT " + group + ", " + bucket + ", " + sums("p") + " FROM " + finer + " p GROUP BY ALL), "
        + "rows AS (SELECT *, " + bucket + " FROM " + coarser + ") SELECT " + pairs() + " FROM rows f FULL JOIN parts p "
        + "USING (" + group + ", bucket)";
  }

  private static String sums(String alias) {
    return String.join(", ", SUMS.stream().map(c -> "sum(" + alias + "." + c + ") AS " + c).toList());
  }

  /** Each sum of the coarser side beside the finer side's. */
  private static String pairs() {
    return String.join(", ", SUMS.stream().map(c -> "f." + c + " AS f_" + c + ", p." + c + " AS p_" + c).toList());
  }

  private static void assertPairs(String what, Map<String, Object> r) {
    for (String c : SUMS) {
      assertThat(r.get("f_" + c)).as(what + " " + c + " (a row missing on one side)").isNotNull();
      assertThat(r.get("p_" + c)).as(what + " " + c + " (a row missing on one side)").isNotNull();
      double f = ((Number) r.get("f_" + c)).doubleValue();
      double p = ((Number) r.get("p_" + c)).doubleValue();
      assertThat(Math.abs(f - p)).as(what + " " + c).isLessThanOrEqualTo(1e-9 * Math.max(Math.abs(p), 1e-12));
    }
  }

  private static void relative(Map<String, Object> r, String column, double expected) {
    double actual = ((Number) r.get(column)).doubleValue();
    assertThat(Math.abs(actual - expected)).as(r.get("tenant") + " " + column)
        .isLessThanOrEqualTo(1e-9 * Math.max(Math.abs(expected), 1e-12));
  }
}
