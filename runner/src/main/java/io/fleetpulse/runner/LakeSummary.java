package io.fleetpulse.runner;

import io.fleetpulse.schema.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Counts the committed rows of each Parquet table under a data folder, with DuckDB. */
final class LakeSummary {

  private LakeSummary() {}

  static Map<String, Long> rowsPerTable(Path data) throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      for (String table : Tables.ALL) {
        Path dir = data.resolve(table);
        if (!hasParquet(dir)) continue;
        try (ResultSet rs = st.executeQuery(
            "SELECT count(*) FROM read_parquet('" + dir + "/**/*.parquet', hive_partitioning = true)")) {
          rs.next();
          rows.put(table, rs.getLong(1));
        }
      }
    }
    return rows;
  }

  private static boolean hasParquet(Path dir) {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
