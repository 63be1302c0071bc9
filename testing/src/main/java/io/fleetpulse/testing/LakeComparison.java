package io.fleetpulse.testing;

import io.fleetpulse.lake.LakeFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Compares one table of two lakes row by row with DuckDB: rows on one side only, duplicates, worst differences. */
public final class LakeComparison {

  private LakeComparison() {}

  public static Map<String, Double> compare(Connection db, Path a, Path b, String table, List<String> keys,
      List<String> values) throws SQLException {
    String keyList = String.join(", ", keys);
    String on = keys.stream().map(k -> "x." + k + " = y." + k).collect(Collectors.joining(" AND "));
    StringBuilder sql = new StringBuilder("WITH x AS (SELECT * FROM " + read(a, table) + "), y AS (SELECT * FROM "
        + read(b, table) + ") SELECT "
        + "(SELECT count(*) FROM x) AS rows_a, (SELECT count(*) FROM y) AS rows_b, "
        + "(SELECT count(*) - count(DISTINCT (" + keyList + ")) FROM x) AS duplicates_a, "
        + "(SELECT count(*) - count(DISTINCT (" + keyList + ")) FROM y) AS duplicates_b, "
        + "count(*) FILTER (WHERE x." + keys.get(0) + " IS NULL OR y." + keys.get(0) + " IS NULL) AS one_side_only");
    for (String v : values) {
      sql.append(String.format(", coalesce(max(abs(x.%1$s - y.%1$s) / greatest(abs(x.%1$s), 1e-300)), 0) AS %1$s", v));
    }
    sql.append(" FROM x FULL OUTER JOIN y ON ").append(on);
    Map<String, Double> out = new LinkedHashMap<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
      rs.next();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.put(rs.getMetaData().getColumnName(i), rs.getDouble(i));
      }
    }
    return out;
  }

  /**
   * The table, with timestamps that are compared as values (end_time) also as epoch millis (end_ms); read from the
   * files the lake's listing names, as the query views do (a glob would read a compaction's replaced files too).
   */
  private static String read(Path lake, String table) {
    String parquet = LakeFiles.readParquet(LakeFiles.visible(lake, table));
    if (parquet == null) parquet = "(SELECT 1 AS none WHERE false)";
    return table.equals("alerts") ? "(SELECT *, epoch_ms(end_time) AS end_ms FROM " + parquet + ")" : parquet;
  }
}
