package io.fleetpulse.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Lets through exactly one read-only query over the lake's views, judged on DuckDB's own parse tree (from
 * {@code json_serialize_sql}, which parses without running anything and only serializes SELECT statements):
 * <ul>
 *   <li>one statement: DuckDB's JDBC driver would run every statement before the last one when preparing;</li>
 *   <li>a SELECT (with WITH, FROM-first, VALUES, DESCRIBE, SUMMARIZE, SHOW TABLES): COPY, INSERT, CREATE,
 *       ATTACH, INSTALL, LOAD, SET, PRAGMA, EXPORT and every other statement are refused;</li>
 *   <li>tables only from the lake's views or the query's own WITH items where they are in scope, DuckDB's own
 *       views (pg_settings, duckdb_*, information_schema, ...) never, not even behind a WITH item of the same
 *       name; no file names as tables ({@code FROM '/etc/passwd'}), no other schema or database
 *       ({@link QueryTreeCheck});</li>
 *   <li>functions from an allow-list ({@link AllowedFunctions}, {@link FunctionPolicy}), table functions only
 *       {@code range}, {@code generate_series}, {@code unnest};</li>
 *   <li>what one call may build bounded by literal arguments ({@link ValueBounds}).</li>
 * </ul>
 * {@link LakeDatabase}'s locked settings stand behind this, so a gap in one layer is not a hole.
 */
final class SqlGuard {

  static final int MAX_SQL_CHARS = 100_000;
  /** Deep enough for any tree DuckDB parses (it stops at 1,000 levels of expressions; JSON nests a few per level). */
  static final int MAX_TREE_DEPTH = 20_000;
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_TREE_DEPTH).build()).build());

  /** What the guard found: whether only the plan can tell how many rows a series yields. */
  record Verdict(boolean computedSeries) {}

  private final SystemCatalog system;
  private final FunctionPolicy functions;

  SqlGuard(SystemCatalog system) {
    this.system = system;
    this.functions = new FunctionPolicy(system.functionNames());
  }

  /**
   * Throws {@link QueryException} unless {@code sql} is one read-only query over {@code views}.
   *
   * @param tablesPresent the lake's tables, for the message naming what can be queried
   */
  Verdict check(Connection c, String sql, List<String> views, List<String> tablesPresent, Lake lake) {
    if (sql == null || sql.isBlank()) throw refused("no SQL given: pass a query such as 'SELECT * FROM "
        + (views.isEmpty() ? "ultraserver_window" : views.get(0)) + " LIMIT 10'");
    if (sql.length() > MAX_SQL_CHARS) {
      throw refused("the SQL is " + sql.length() + " characters long; at most " + MAX_SQL_CHARS + " are accepted");
    }
    return checkTree(parse(c, sql), views, tablesPresent, lake);
  }

  /** The same, on a parse tree from {@code json_serialize_sql}. */
  Verdict checkTree(JsonNode parsed, List<String> views, List<String> tablesPresent, Lake lake) {
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
    QueryTreeCheck tree = new QueryTreeCheck(functions, system, views, tablesPresent, lake);
    try {
      tree.check(statements.get(0));
    } catch (StackOverflowError e) {
      throw refused("the statement is nested too deeply to be judged: flatten its subqueries or expressions");
    }
    return new Verdict(tree.hasComputedSeries());
  }

  /** DuckDB's parse tree of {@code sql}, as JSON; nothing is run. */
  static JsonNode parse(Connection c, String sql) {
    try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
      ps.setString(1, sql);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return JSON.readTree(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new QueryException(QueryException.Kind.SQL, SqlErrors.firstLine(e), e);
    } catch (StreamConstraintsException e) {
      throw refused("the statement is nested too deeply to be judged: flatten its subqueries or expressions");
    } catch (IOException e) {
      throw new IllegalStateException("DuckDB's parse tree is not JSON", e);
    }
  }

  private static QueryException refused(String message) {
    return new QueryException(QueryException.Kind.REFUSED, message);
  }
}
