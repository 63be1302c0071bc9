package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo as a user runs it, bounded by --duration: it must exit by itself with every window in Parquet. */
@Timeout(300)
class DemoCommandIT {

  @TempDir Path dir;

  @Test
  void boundedDemoCommitsEveryWindowAndExits() throws Exception {
    Path data = dir.resolve("data");
    int exit = FleetPulseCli.commandLine().execute("demo", "--chips", "4096", "--duration", "3m", "--speedup", "max",
        "--start", "2026-11-25T12:00:00Z", "--data", data.toString(), "--kafka-port", "0", "--web-port", "0",
        // Free ports all round: a default one held by anything else on the machine must not fail the test.
        "--dashboard-port", "0", "--sql-port", "0", "--metrics-port", "0", "--generator-metrics-port", "0",
        "--checkpoint-interval", "1s");
    assertThat(exit).isZero();
    assertThat(data.resolve(DemoFolder.MANIFEST)).exists();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT ultraserver_id), count(DISTINCT window_start), "
            + "min(utilization_avg), max(utilization_avg), max(power_max_w), min(it_energy_kwh) FROM read_parquet('"
            + data + "/ultraserver_window/**/*.parquet')")) {
      rs.next();
      int ultraservers = rs.getInt(2);
      // 64 UltraServers, about 5% of them in maintenance (no samples); three complete 1-minute windows each.
      assertThat(ultraservers).isBetween(58, 63);
      assertThat(rs.getLong(1)).isEqualTo(3L * ultraservers);
      assertThat(rs.getInt(3)).isEqualTo(3);
      assertThat(rs.getDouble(4)).isGreaterThanOrEqualTo(0);
      assertThat(rs.getDouble(5)).isLessThanOrEqualTo(1);
      assertThat(rs.getDouble(6)).isLessThanOrEqualTo(500);
      assertThat(rs.getDouble(7)).isPositive();
    }
    // What a newcomer does next: a canned report over what the demo wrote.
    FleetPulseCliTest.Run report = FleetPulseCliTest.run("query", "--data", data.toString(), "--report",
        "carbon-by-site", "--format", "csv");
    assertThat(report.exit()).as(report.err()).isZero();
    assertThat(report.out()).contains("us-in", "us-pa", "us-ms");
  }

  @Test
  void refusesAFolderItDidNotMake() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(foreign.resolve("notes.txt"), "keep me");
    int exit = FleetPulseCli.commandLine().execute("demo", "--chips", "64", "--duration", "1m", "--data",
        foreign.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(foreign.resolve("notes.txt")).hasContent("keep me");
  }
}
