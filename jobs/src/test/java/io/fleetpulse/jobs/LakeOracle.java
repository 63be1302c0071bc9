package io.fleetpulse.jobs;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.GridProfile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every metric of every level recomputed in DuckDB SQL from the raw archive (chip_telemetry) and the published
 * factors, written out from docs/design.md §3 without the job's code, and compared with the job's tables.
 */
final class LakeOracle {

  /** Columns compared, with the SQL that computes each from the samples {@code s} of one group and window. */
  static final Map<String, String> METRICS = new LinkedHashMap<>();

  static {
    METRICS.put("samples", "count(*)");
    METRICS.put("chips_reporting", "count(DISTINCT chip_id)");
    METRICS.put("ultraservers", "count(DISTINCT ultraserver_id)");
    METRICS.put("chip_seconds", "sum(dt)");
    METRICS.put("utilization_sum", "sum(utilization)");
    METRICS.put("utilization_avg", "avg(utilization)");
    METRICS.put("hbm_used_sum_gib", "sum(hbm_used_gib)");
    METRICS.put("hbm_capacity_sum_gib", "sum(hbm)");
    METRICS.put("hbm_used_avg_gib", "avg(hbm_used_gib)");
    METRICS.put("hbm_util", "sum(hbm_used_gib) / sum(hbm)");
    METRICS.put("power_sum_w", "sum(power_w)");
    METRICS.put("power_avg_w", "avg(power_w)");
    METRICS.put("power_max_w", "max(power_w)");
    METRICS.put("it_energy_kwh", "sum(power_w * dt) / 3.6e6");
    METRICS.put("facility_energy_kwh", "sum(power_w * dt * pue) / 3.6e6");
    METRICS.put("pue", "sum(power_w * dt * pue) / sum(power_w * dt)");
    METRICS.put("residual_facility_energy_kwh", "sum(power_w * dt * pue * (1 - renewable_share)) / 3.6e6");
    METRICS.put("idle_samples", "count(*) FILTER (WHERE utilization < 0.05)");
    METRICS.put("idle_energy_kwh", "coalesce(sum(power_w * dt) FILTER (WHERE utilization < 0.05), 0) / 3.6e6");
    METRICS.put("delivered_pflop", "sum(utilization * peak * dt) / 1000");
    METRICS.put("efficiency_tflops_per_w", "sum(utilization * peak * dt) / sum(power_w * dt)");
    // Carbon at the hour's grid figures (f_hour, from the grid profile's pure function): location-based on all the
    // facility energy, market-based on what the hour's contracted supply c left uncovered, at the residual mix.
    METRICS.put("carbon_location_kg", "sum(power_w * dt * pue * loc) / 3.6e6 / 1000");
    METRICS.put("carbon_market_kg", "sum(power_w * dt * pue * (1 - c) * res) / 3.6e6 / 1000");
    METRICS.put("grid_factor_g_per_kwh", "sum(power_w * dt * pue * loc) / sum(power_w * dt * pue)");
    METRICS.put("residual_factor_g_per_kwh", "sum(power_w * dt * pue * (1 - c) * res) / sum(power_w * dt * pue * (1 - c))");
    METRICS.put("grid_cfe_energy_kwh", "sum(power_w * dt * pue * (1 - c) * gcfe) / 3.6e6");
    METRICS.put("cfe_share", "sum(power_w * dt * pue * (c + (1 - c) * gcfe)) / sum(power_w * dt * pue)");
    METRICS.put("embodied_carbon_kg", "sum(dt * emb)");
    METRICS.put("carbon_location_g_per_pflop",
        "sum(power_w * dt * pue * loc) / 3.6e6 / (sum(utilization * peak * dt) / 1000)");
    METRICS.put("carbon_market_g_per_pflop",
        "sum(power_w * dt * pue * (1 - c) * res) / 3.6e6 / (sum(utilization * peak * dt) / 1000)");
    METRICS.put("carbon_total_g_per_pflop",
        "(sum(power_w * dt * pue * loc) / 3.6e6 / 1000 + sum(dt * emb)) * 1000 / (sum(utilization * peak * dt) / 1000)");
    METRICS.put("carbon_total_market_g_per_pflop", "(sum(power_w * dt * pue * (1 - c) * res) / 3.6e6 / 1000 "
        + "+ sum(dt * emb)) * 1000 / (sum(utilization * peak * dt) / 1000)");
    METRICS.put("hourly_factor_windows", "count(DISTINCT (ultraserver_id, ws))");
    METRICS.put("cost_usd", "sum(dt * price) / 3600");
    METRICS.put("usd_per_pflop", "(sum(dt * price) / 3600) / (sum(utilization * peak * dt) / 1000)");
    METRICS.put("price_perf_vs_gpu",
        "gpu_ref / ((sum(dt * price) / 3600) / (sum(utilization * peak * dt) / 1000)) - 1");
  }

  /** The group columns of each level's table, and how to name the group in SQL. */
  enum Level {
    ULTRASERVER("ultraserver_window", "ultraserver_id, site, generation"),
    SITE("site_window", "site"),
    GENERATION("generation_window", "generation"),
    FLEET("fleet_window", "");

    final String table;
    final String keys;

    Level(String table, String keys) {
      this.table = table;
      this.keys = keys;
    }
  }

  private LakeOracle() {}

  /**
   * Factor tables as SQL VALUES, from the same published figures the job is configured with, and each site's grid
   * figures for the hours {@code [fromHour, toHour)} from the grid profile's pure function.
   */
  static String factors(FleetModel model, long fromMs, long toMs) {
    FleetConfig cfg = model.config();
    String sites = cfg.sites().stream()
        .map(s -> String.format(Locale.ROOT, "('%s', %s)", s.id(), s.pue()))
        .collect(Collectors.joining(", "));
    List<String> hours = new ArrayList<>();
    for (long h = Math.floorDiv(fromMs, 3_600_000L) * 3_600_000L; h < toMs; h += 3_600_000L) {
      for (int i = 0; i < cfg.sites().size(); i++) {
        GridProfile.Hour g = model.gridHour(i, h);
        hours.add(String.format(Locale.ROOT, "('%s', epoch_ms(%d::BIGINT), %s, %s, %s, %s)", g.site(), h,
            g.locationGPerKwh(), g.residualGPerKwh(), g.gridCfeShare(), g.contractedCfeShare()));
      }
    }
    String gens = cfg.generations().entrySet().stream()
        .map(g -> String.format(Locale.ROOT, "('%s', %s, %s, %s, %s)", g.getKey(), g.getValue().deliveredPeakTflops(),
            g.getValue().hbmGib(), g.getValue().pricePerChipHourUsd(), g.getValue().embodiedKgPerChipSecond()))
        .collect(Collectors.joining(", "));
    FleetConfig.GpuBaseline gpu = cfg.gpuBaseline();
    String gpuRef = String.format(Locale.ROOT, "%s / (%s * %s * 3.6)", gpu.pricePerGpuHourUsd(), gpu.peakTflops(),
        gpu.referenceUtilization());
    return "f_site(site, pue) AS (VALUES " + sites + "), "
        + "f_hour(hsite, hour_start, loc, res, gcfe, c) AS (VALUES " + String.join(", ", hours) + "), "
        + "f_gen(generation, peak, hbm, price, emb) AS (VALUES " + gens + "), "
        + "f_gpu(gpu_ref) AS (SELECT " + gpuRef + ")";
  }

  /**
   * For each column, the largest relative difference between the job's table and the SQL recomputation, plus
   * "missing" (rows on one side only) and "rows" (groups compared).
   */
  static Map<String, Double> compare(Connection db, Path lake, FleetModel model, long fromMs, long toMs, Level level)
      throws SQLException {
    String groupCols = level.keys.isEmpty() ? "" : level.keys + ", ";
    StringBuilder exp = new StringBuilder("SELECT " + groupCols + "epoch_ms(ws) AS w");
    METRICS.forEach((col, sql) -> exp.append(", ").append(sql).append(" AS ").append(col));
    exp.append(" FROM s GROUP BY ").append(groupCols).append("ws, gpu_ref");
    String join = level.keys.isEmpty() ? "e.w = a.w"
        : java.util.Arrays.stream(level.keys.split(", ")).map(k -> "e." + k + " = a." + k)
            .collect(Collectors.joining(" AND ")) + " AND e.w = a.w";
    StringBuilder cmp = new StringBuilder("SELECT count(*) AS rows, count(*) FILTER (WHERE e.w IS NULL OR a.w IS NULL)"
        + " AS missing");
    for (String col : METRICS.keySet()) {
      cmp.append(String.format(", max(abs(a.%1$s - e.%1$s) / greatest(abs(e.%1$s), 1e-300)) AS %1$s", col));
    }
    String sql = "WITH " + factors(model, fromMs, toMs) + ", "
        + "s AS (SELECT *, interval_ms / 1000.0 AS dt, time_bucket(INTERVAL 1 minute, event_time) AS ws "
        + "      FROM read_parquet('" + lake.resolve("chip_telemetry") + "/**/*.parquet') t "
        + "      JOIN f_site USING (site) JOIN f_gen USING (generation), f_gpu, f_hour "
        + "      WHERE f_hour.hsite = t.site AND f_hour.hour_start = time_bucket(INTERVAL 1 hour, t.event_time)), "
        + "e AS (" + exp + "), "
        + "a AS (SELECT *, epoch_ms(window_start) AS w FROM read_parquet('" + lake.resolve(level.table)
        + "/**/*.parquet')) "
        + cmp + " FROM e FULL OUTER JOIN a ON " + join;
    Map<String, Double> out = new LinkedHashMap<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) out.put(md.getColumnName(i), rs.getDouble(i));
    }
    return out;
  }

  /** Groups whose p50 or p95 are off: beyond nearest rank (UltraServers) or the sketch's rank error (roll-ups). */
  static List<String> percentileProblems(Connection db, Path lake, Level level, double rankTolerance)
      throws SQLException {
    List<String> keys = level.keys.isEmpty() ? List.of() : List.of(level.keys.split(", "));
    String select = keys.stream().map(k -> "a." + k + ", ").collect(Collectors.joining());
    String join = keys.stream().map(k -> " AND s." + k + " = a." + k).collect(Collectors.joining());
    String sql = "WITH s AS (SELECT *, time_bucket(INTERVAL 1 minute, event_time) AS ws FROM read_parquet('"
        + lake.resolve("chip_telemetry") + "/**/*.parquet')), "
        + "a AS (SELECT * FROM read_parquet('" + lake.resolve(level.table) + "/**/*.parquet')) "
        + "SELECT " + select + "a.window_start, "
        // utilization is kept as a float inside the window: compare at that precision.
        + "avg(CASE WHEN s.utilization::FLOAT <= a.utilization_p50 THEN 1 ELSE 0 END) AS r50, "
        + "avg(CASE WHEN s.utilization::FLOAT < a.utilization_p50 THEN 1 ELSE 0 END) AS b50, "
        + "avg(CASE WHEN s.utilization::FLOAT <= a.utilization_p95 THEN 1 ELSE 0 END) AS r95, "
        + "avg(CASE WHEN s.utilization::FLOAT < a.utilization_p95 THEN 1 ELSE 0 END) AS b95 "
        + "FROM s JOIN a ON s.ws = a.window_start" + join + " GROUP BY ALL";
    List<String> problems = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        double r50 = rs.getDouble("r50"), b50 = rs.getDouble("b50");
        double r95 = rs.getDouble("r95"), b95 = rs.getDouble("b95");
        // v is the q-quantile when the share of values below v is at most q and the share at or below it at least q.
        if (b50 > 0.50 + rankTolerance || r50 < 0.50 - rankTolerance
            || b95 > 0.95 + rankTolerance || r95 < 0.95 - rankTolerance) {
          problems.add(level + " " + rs.getString(1) + " " + rs.getString("window_start") + ": p50 ranks [" + b50
              + ", " + r50 + "], p95 ranks [" + b95 + ", " + r95 + "]");
        }
      }
    }
    return problems;
  }
}
