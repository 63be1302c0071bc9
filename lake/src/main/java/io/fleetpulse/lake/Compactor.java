package io.fleetpulse.lake;

import io.fleetpulse.schema.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rewrites the files of one partition as few sorted files, with DuckDB (out of core: it sorts within its memory
 * limit and spills to {@code _lake/spill/}). The rows come out sorted by the filters queries use most (time, then
 * site and UltraServer, or chip for the raw archive), so row-group statistics skip most of a file for a filtered
 * query. Column names and SQL types are those DuckDB reads from the job's files (timestamps as TIMESTAMPTZ, now in
 * microseconds rather than milliseconds: the same instants); Hive partition columns stay in the folder names.
 */
final class Compactor implements AutoCloseable {

  /**
   * Rows per row group: 262,144 rows is 4 ticks of a 65,536-chip fleet in the raw archive (about 10 MB Snappy),
   * small enough that a time filter reads a few row groups, large enough for good compression and few footers; a
   * window table's hour fits in one.
   */
  static final int ROW_GROUP_ROWS = 262_144;

  private final Connection db;
  private final long fileSizeBytes;

  Compactor(LakeDirs dirs, String memoryLimit, int threads, long fileSizeBytes) {
    this.fileSizeBytes = fileSizeBytes;
    try {
      Files.createDirectories(dirs.spill());
      db = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement st = db.createStatement()) {
        st.execute("SET memory_limit = " + LakeFiles.quote(memoryLimit));
        st.execute("SET threads = " + threads);
        st.execute("SET temp_directory = " + LakeFiles.quote(dirs.spill().toString()));
        st.execute("SET preserve_insertion_order = true");
        st.execute("SET TimeZone = 'UTC'");
        st.execute("SET autoinstall_known_extensions = false");
        st.execute("SET autoload_known_extensions = false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot start DuckDB for compaction: " + e.getMessage(), e);
    }
  }

  /** What one rewrite made: its outputs in the staging folder, in order, and the rows it holds. */
  record Written(List<Path> outputs, long rows) {}

  /**
   * Reads {@code inputs} and writes them, sorted, into {@code staging} (created; must not exist) as files named
   * {@link CompactionMarker#outputName}, each forced to disk. Fails if the rows written are not the rows read.
   */
  Written rewrite(String table, List<Path> inputs, Path staging, String id) throws SQLException, IOException {
    String source = "read_parquet(" + list(inputs) + ", hive_partitioning = false, union_by_name = true)";
    List<String> columns = columns(source);
    List<String> order = sortColumns(table).stream().filter(columns::contains).toList();
    long rowsIn = count(source);
    Files.createDirectories(staging.getParent());
    String select = "SELECT * FROM " + source + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order));
    String copy = "COPY (" + select + ") TO " + LakeFiles.quote(staging.toString()) + " (FORMAT parquet, "
        + "COMPRESSION snappy, ROW_GROUP_SIZE " + ROW_GROUP_ROWS + ", FILE_SIZE_BYTES " + fileSizeBytes
        + ", FILENAME_PATTERN 'out_{i}')";
    try (Statement st = db.createStatement()) {
      st.execute(copy);
    }
    List<Path> written;
    try (Stream<Path> s = Files.list(staging)) {
      written = s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .sorted((a, b) -> Integer.compare(index(a), index(b))).toList();
    }
    List<Path> outputs = new ArrayList<>();
    for (int k = 0; k < written.size(); k++) {
      Path named = staging.resolve(CompactionMarker.outputName(id, k));
      Files.move(written.get(k), named);
      Durable.force(named);
      outputs.add(named);
    }
    Durable.forceDir(staging);
    long rowsOut = outputs.isEmpty() ? 0 : count("read_parquet(" + list(outputs) + ", hive_partitioning = false)");
    if (rowsOut != rowsIn) {
      throw new IOException("compaction of " + table + " wrote " + rowsOut + " rows for " + rowsIn + " read");
    }
    return new Written(outputs, rowsIn);
  }

  /** The sort order of a table's compacted files: its time column first, then the common filters. */
  static List<String> sortColumns(String table) {
    if (table.equals(Tables.CHIP_TELEMETRY)) return List.of("event_time", "ultraserver_id", "chip_id");
    if (table.equals(Tables.ALERTS)) return List.of("updated_time", "site", "ultraserver_id", "alert_id", "status");
    return List.of("window_start", "site", "ultraserver_id", "generation", "workload", "tenant");
  }

  private static int index(Path p) {
    String n = p.getFileName().toString();
    String digits = n.replaceAll("^out_(\\d+).*$", "$1");
    return digits.equals(n) ? Integer.MAX_VALUE : Integer.parseInt(digits);
  }

  private List<String> columns(String source) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  private long count(String source) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + source)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String list(List<Path> files) {
    StringBuilder sb = new StringBuilder("[");
    for (Path f : files) {
      if (sb.length() > 1) sb.append(", ");
      sb.append(LakeFiles.quote(f.toString()));
    }
    return sb.append(']').toString();
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException e) {
      // an in-memory database: nothing to lose
    }
  }
}
