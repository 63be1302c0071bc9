package io.fleetpulse.bench;

import static io.fleetpulse.bench.BenchCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.bench.BenchCliTest.Run;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.Placement;
import io.fleetpulse.query.Report;
import io.fleetpulse.query.Reports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench lake on a tiny fleet: the tables hold the rows the shape implies (counted by DuckDB straight from the files,
 * expected from the layout by arithmetic), the grains agree, the files are laid out per partition, every canned
 * report was timed without an error, and a second run reuses the lake. No figure is judged.
 */
class LakeBenchTest {

  static final int CHIPS = 6400;
  static final int DAYS = 2;
  static final int MINUTES_A_DAY = 1440;

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void buildsTheRetainedShapeAndTimesEveryReport() throws Exception {
    Run r = run("lake", "--chips", Integer.toString(CHIPS), "--days", Integer.toString(DAYS), "--minute-days", "1",
        "--runs", "1", "--dir", dir.toString());
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    Path lake = dir.resolve("lake-6400c-2d-1m");

    FleetLayout layout = new FleetLayout(FleetConfigLoader.load(null, Map.of("fleet.chips", Integer.toString(CHIPS))));
    long reporting = 0;
    Set<String> sites = new HashSet<>();
    Set<String> generations = new HashSet<>();
    Set<Integer> workloads = new HashSet<>();
    Set<String> tenants = new HashSet<>();
    for (int us = 0; us < layout.ultraservers(); us++) {
      if (layout.placement(us) == Placement.MAINTENANCE) continue;
      reporting++;
      sites.add(layout.siteId(us));
      generations.add(layout.generationId(us));
      int w = layout.workload(us);
      workloads.add(w);
      tenants.add(w < 0 ? FleetLayout.UNPLACED : layout.tenantOf(w));
    }
    assertThat(reporting).isBetween(1L, (long) CHIPS / 64);
    int hours = DAYS * 24;
    Map<String, Long> expected = Map.ofEntries(
        Map.entry("ultraserver_window", reporting * MINUTES_A_DAY),
        Map.entry("site_window", (long) sites.size() * MINUTES_A_DAY),
        Map.entry("generation_window", (long) generations.size() * MINUTES_A_DAY),
        Map.entry("fleet_window", (long) MINUTES_A_DAY),
        Map.entry("workload_window", (long) workloads.size() * MINUTES_A_DAY),
        Map.entry("tenant_window", (long) tenants.size() * MINUTES_A_DAY),
        Map.entry("ultraserver_hour", reporting * hours),
        Map.entry("site_hour", (long) sites.size() * hours),
        Map.entry("generation_hour", (long) generations.size() * hours),
        Map.entry("fleet_hour", (long) hours),
        Map.entry("workload_hour", (long) workloads.size() * hours),
        Map.entry("tenant_hour", (long) tenants.size() * hours),
        Map.entry("site_day", (long) sites.size() * DAYS),
        Map.entry("generation_day", (long) generations.size() * DAYS),
        Map.entry("fleet_day", (long) DAYS),
        Map.entry("workload_day", (long) workloads.size() * DAYS),
        Map.entry("tenant_day", (long) tenants.size() * DAYS));

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      for (Map.Entry<String, Long> e : expected.entrySet()) {
        assertThat(one(st, "SELECT count(*) FROM " + files(lake, e.getKey()))).as(e.getKey())
            .isEqualTo(e.getValue().doubleValue());
      }
      assertThat(one(st, "SELECT count(*) FROM " + files(lake, "alerts"))).isPositive();
      // Minutes only in the last day; hours and days over both.
      assertThat(one(st, "SELECT count(DISTINCT date) FROM " + files(lake, "ultraserver_window"))).isEqualTo(1.0);
      assertThat(one(st, "SELECT count(DISTINCT date) FROM " + files(lake, "ultraserver_hour"))).isEqualTo(2.0);
      // The grains agree: the last day's UltraServer hours are its minutes, the fleet's days its UltraServers' hours.
      double minutes = one(st, "SELECT sum(it_energy_kwh) FROM " + files(lake, "ultraserver_window"));
      double hoursOfThatDay = one(st, "SELECT sum(it_energy_kwh) FROM " + files(lake, "ultraserver_hour")
          + " WHERE date = '2026-11-19'");
      assertThat(hoursOfThatDay).isCloseTo(minutes, within(minutes * 1e-9));
      double usHours = one(st, "SELECT sum(cost_usd) FROM " + files(lake, "ultraserver_hour"));
      double fleetDays = one(st, "SELECT sum(cost_usd) FROM " + files(lake, "fleet_day"));
      assertThat(fleetDays).isCloseTo(usHours, within(usHours * 1e-9));
      assertThat(one(st, "SELECT sum(ultraservers) FROM " + files(lake, "fleet_day"))).isEqualTo(reporting * hours * 60.0);
    }

    // One file per table and hour partition, one per day partition; no raw archive.
    assertThat(parquetFiles(lake.resolve("ultraserver_window"))).isEqualTo(24);
    assertThat(parquetFiles(lake.resolve("ultraserver_hour"))).isEqualTo(hours);
    assertThat(parquetFiles(lake.resolve("fleet_day"))).isEqualTo(DAYS);
    assertThat(lake.resolve("chip_telemetry")).doesNotExist();

    assertThat(r.out()).contains("building").contains("files per table per day").doesNotContain("FAILED");
    for (Report report : Reports.all()) {
      assertThat(r.out()).containsPattern(report.name() + " +[\\d,]+ rows  cold +[\\d,]+ ms  warm +[\\d,]+ ms");
    }

    Run again = run("lake", "--chips", Integer.toString(CHIPS), "--days", Integer.toString(DAYS), "--minute-days", "1",
        "--runs", "1", "--dir", dir.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("reusing the lake built before").doesNotContain("building:");
  }

  @Test
  void badShapesFailNamingTheFlag() {
    Run r = run("lake", "--days", "2", "--minute-days", "3", "--dir", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--minute-days must be in [0, --days 2], got 3");
  }

  static String files(Path lake, String table) {
    return "read_parquet('" + lake.resolve(table) + "/**/*.parquet', hive_partitioning = true)";
  }

  static double one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getDouble(1);
    }
  }

  static long parquetFiles(Path table) throws Exception {
    try (Stream<Path> f = Files.walk(table)) {
      return f.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }
}
