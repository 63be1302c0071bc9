package io.fleetpulse.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lets through exactly one read-only query over the lake's views, judged on DuckDB's own parse tree (from
 * {@code json_serialize_sql}, which parses without running anything and only serializes SELECT statements):
 * <ul>
 *   <li>one statement: DuckDB's JDBC driver would run every statement before the last one when preparing;</li>
 *   <li>a SELECT (with WITH, FROM-first, VALUES, DESCRIBE, SUMMARIZE, SHOW TABLES): COPY, INSERT, CREATE,
 *       ATTACH, INSTALL, LOAD, SET, PRAGMA, EXPORT and every other statement are refused;</li>
 *   <li>tables only from the lake's views or the query's own CTEs: no file names as tables
 *       ({@code FROM '/etc/passwd'}), no other schema or database;</li>
 *   <li>table functions only from a short list that reads nothing ({@code range}, {@code generate_series},
 *       {@code unnest}): no {@code read_csv}, {@code read_text}, {@code read_parquet}, {@code glob},
 *       {@code query}, ...</li>
 * </ul>
 * {@link LakeDatabase}'s locked settings stand behind this, so a gap in one layer is not a hole.
 */
final class SqlGuard {

  static final int MAX_SQL_CHARS = 100_000;
  static final Set<String> ALLOWED_TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest");
  private static final Set<String> OWN_CATALOGS = Set.of("", "memory");
  private static final Set<String> OWN_SCHEMAS = Set.of("", "main");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SqlGuard() {}

  /**
   * Throws {@link QueryException} unless {@code sql} is one read-only query over {@code views}.
   *
   * @param tablesPresent the lake's tables, for the message naming what can be queried
   */
  static void check(Connection c, String sql, List<String> views, List<String> tablesPresent, Lake lake) {
    if (sql == null || sql.isBlank()) throw refused("no SQL given: pass a query such as 'SELECT * FROM "
        + (views.isEmpty() ? "ultraserver_window" : views.get(0)) + " LIMIT 10'");
    if (sql.length() > MAX_SQL_CHARS) {
      throw refused("the SQL is " + sql.length() + " characters long; at most " + MAX_SQL_CHARS + " are accepted");
    }
    JsonNode parsed = parse(c, sql);
    if (parsed.path("error").asBoolean(false)) {
      String type = parsed.path("error_type").asText();
      String message = parsed.path("error_message").asText();
      if (type.equals("parser")) throw new QueryException(QueryException.Kind.SQL, "Parser Error: " + message);
      throw refused("only read-only queries are allowed (SELECT, WITH ... SELECT, FROM ..., VALUES, DESCRIBE, "
          + "SUMMARIZE, SHOW TABLES); COPY, INSERT, CREATE, ATTACH, INSTALL, LOAD, SET, PRAGMA and other "
          + "statements are refused");
    }
    JsonNode statements = parsed.path("statements");
    if (statements.size() == 0) throw refused("no SQL statement given (only a comment?)");
    if (statements.size() > 1) {
      throw refused("one statement at a time: got " + statements.size() + " separated by ';'");
    }
    Set<String> ctes = new HashSet<>();
    collectCteNames(statements, ctes);
    Set<String> known = new HashSet<>(ctes);
    views.forEach(v -> known.add(v.toLowerCase(Locale.ROOT)));
    walk(statements, known, views, tablesPresent, lake);
  }

  private static JsonNode parse(Connection c, String sql) {
    try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
      ps.setString(1, sql);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return JSON.readTree(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new QueryException(QueryException.Kind.SQL, SqlErrors.firstLine(e), e);
    } catch (IOException e) {
      throw new IllegalStateException("DuckDB's parse tree is not JSON", e);
    }
  }

  private static void collectCteNames(JsonNode node, Set<String> into) {
    if (node.isObject()) {
      JsonNode map = node.path("cte_map").path("map");
      for (JsonNode entry : map) into.add(entry.path("key").asText().toLowerCase(Locale.ROOT));
    }
    for (JsonNode child : node) collectCteNames(child, into);
  }

  private static void walk(JsonNode node, Set<String> known, List<String> views, List<String> tablesPresent,
      Lake lake) {
    if (node.isObject()) {
      switch (node.path("type").asText()) {
        case "TABLE_FUNCTION" -> checkTableFunction(node);
        case "BASE_TABLE" -> checkTable(node, known, views, tablesPresent, lake);
        case "SHOW_REF" -> checkShow(node);
        default -> { }
      }
    }
    for (JsonNode child : node) walk(child, known, views, tablesPresent, lake);
  }

  private static void checkTableFunction(JsonNode node) {
    String name = node.path("function").path("function_name").asText().toLowerCase(Locale.ROOT);
    if (!ALLOWED_TABLE_FUNCTIONS.contains(name)) {
      throw refused("table function " + name + "(...) is not allowed: only the lake's views can be read "
          + "(table functions allowed: " + String.join(", ", ALLOWED_TABLE_FUNCTIONS.stream().sorted().toList())
          + ")");
    }
  }

  private static void checkTable(JsonNode node, Set<String> known, List<String> views, List<String> tablesPresent,
      Lake lake) {
    String catalog = node.path("catalog_name").asText().toLowerCase(Locale.ROOT);
    String schema = node.path("schema_name").asText().toLowerCase(Locale.ROOT);
    String name = node.path("table_name").asText();
    String qualified = (catalog.isEmpty() ? "" : catalog + ".") + (schema.isEmpty() ? "" : schema + ".") + name;
    if (name.contains("/") || name.contains("\\") || name.contains(".")) {
      throw refused("'" + name + "' looks like a file: files cannot be read directly, only the lake's views ("
          + String.join(", ", views) + ")");
    }
    if (!OWN_CATALOGS.contains(catalog) || !OWN_SCHEMAS.contains(schema)) {
      throw refused("table " + qualified + " is outside the lake: only its views can be queried ("
          + String.join(", ", views) + ")");
    }
    if (!known.contains(name.toLowerCase(Locale.ROOT))) {
      throw new QueryException(QueryException.Kind.UNKNOWN_TABLE, "no table '" + name + "' in " + lake
          + ": tables present: " + (tablesPresent.isEmpty() ? "none yet" : String.join(", ", tablesPresent))
          + (views.size() > tablesPresent.size() ? " (views: " + String.join(", ", views) + ")" : ""));
    }
  }

  private static void checkShow(JsonNode node) {
    if (!node.path("query").isNull() && !node.path("query").isMissingNode()) return; // DESCRIBE/SUMMARIZE q
    String name = node.path("table_name").asText().replace("\"", "").toLowerCase(Locale.ROOT);
    if (!name.equals("tables")) {
      throw refused("SHOW " + name + " is not allowed: SHOW TABLES, DESCRIBE view and SUMMARIZE view are");
    }
  }

  private static QueryException refused(String message) {
    return new QueryException(QueryException.Kind.REFUSED, message);
  }
}
