package io.fleetpulse.runner;

import io.fleetpulse.lake.LakeFiles;
import io.fleetpulse.schema.Tables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the rows of each Parquet table under a data folder, with DuckDB, over the files the lake's listing names
 * (a glob would count a compaction's replaced files too while they wait out their grace period).
 */
final class LakeSummary {

  private LakeSummary() {}

  static Map<String, Long> rowsPerTable(Path data) throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      for (String table : Tables.ALL) {
        String source = LakeFiles.readParquet(LakeFiles.visible(data, table));
        if (source == null) continue;
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + source)) {
          rs.next();
          rows.put(table, rs.getLong(1));
        }
      }
    }
    return rows;
  }
}
