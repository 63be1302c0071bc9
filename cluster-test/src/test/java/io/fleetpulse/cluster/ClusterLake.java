package io.fleetpulse.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The job's Parquet output read back with DuckDB. */
public final class ClusterLake {

  /** One row of ultraserver_window, with the columns the oracle can check. */
  public record WindowRow(int ultraserver, long windowStartMs, long samples, int chips, double itEnergyKwh,
      double deliveredPflop) {
    public ExpectedWindows.Key key() {
      return new ExpectedWindows.Key(ultraserver, windowStartMs);
    }
  }

  private final Path root;

  public ClusterLake(Path root) {
    this.root = root;
  }

  /** Every row of ultraserver_window, duplicates included (that is what the test looks for). */
  public List<WindowRow> ultraserverWindows() throws SQLException {
    List<WindowRow> rows = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT ultraserver_id, epoch_ms(window_start), samples, chips_reporting, "
            + "it_energy_kwh, delivered_pflop FROM read_parquet('" + glob("ultraserver_window") + "')")) {
      while (rs.next()) {
        rows.add(new WindowRow(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getDouble(5),
            rs.getDouble(6)));
      }
    }
    return rows;
  }

  /** {rows, distinct (chip, event time)} of the raw archive chip_telemetry. */
  public long[] rawArchiveCounts() throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT (chip_id, event_time)) FROM read_parquet('"
            + glob("chip_telemetry") + "')")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  /** Samples per window summed over the fleet_window table: the roll-up's view of the same data. */
  public long fleetWindowSamples() throws SQLException {
    return sumOfSamples("fleet_window");
  }

  public long ultraserverWindowSamples() throws SQLException {
    return sumOfSamples("ultraserver_window");
  }

  private long sumOfSamples(String table) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT sum(samples) FROM read_parquet('" + glob(table) + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String glob(String table) {
    return root.resolve(table) + "/**/*.parquet";
  }
}
