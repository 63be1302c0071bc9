package io.fleetpulse.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * A second look, in DuckDB's plan, at the one thing the parse tree cannot size: a range()/generate_series() whose
 * bounds are computed ({@code range(10^12::BIGINT)}). DuckDB evaluates table function arguments while planning and
 * estimates such a scan exactly, so {@code EXPLAIN} tells the row count before anything runs. Joins are left to
 * the time limit: DuckDB gives nested-loop joins no estimate, and an estimate is no reason to refuse a join that a
 * filter may make cheap.
 */
final class PlanEstimates {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SERIES_SCANS = Set.of("RANGE", "GENERATE_SERIES");

  private PlanEstimates() {}

  /** Refuses {@code sql} when its plan scans a series of more than {@link ValueBounds#MAX_SERIES_ROWS} rows. */
  static void checkSeries(Connection c, String sql) throws SQLException {
    JsonNode plan;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
      if (!rs.next()) return;
      plan = JSON.readTree(rs.getString(2));
    } catch (IOException e) {
      return; // a plan we cannot read sizes nothing; the time limit still holds
    }
    checkNode(plan);
  }

  private static void checkNode(JsonNode node) {
    if (node.isArray()) {
      for (JsonNode child : node) checkNode(child);
      return;
    }
    JsonNode info = node.path("extra_info");
    String function = info.path("Function").asText();
    if (SERIES_SCANS.contains(function)) {
      long rows = parseRows(info.path("Estimated Cardinality").asText());
      if (rows > ValueBounds.MAX_SERIES_ROWS) {
        throw new QueryException(QueryException.Kind.REFUSED, String.format("%s(...) would yield %,d rows (its "
            + "bounds, as DuckDB plans them); at most %,d are allowed (it would only run into the time limit)",
            function.toLowerCase(java.util.Locale.ROOT), rows, ValueBounds.MAX_SERIES_ROWS));
      }
    }
    checkNode(node.path("children"));
  }

  private static long parseRows(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
