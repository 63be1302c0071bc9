package io.fleetpulse.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One walk over a statement's parse tree that knows which WITH names are in scope where, as DuckDB binds them:
 * a WITH item is visible in the query it is attached to (subqueries included) and in the items after it, not in
 * its own body (unless it is the recursive part of a recursive CTE) and not outside that query. A name that is not
 * a WITH item in scope must be one of the lake's views; DuckDB's own views are refused, and so is a WITH name that
 * would shadow one (the trick of hiding {@code pg_settings} behind a CTE elsewhere in the statement). Every function
 * on the way goes past {@link FunctionPolicy}.
 */
final class QueryTreeCheck {

  /**
   * Levels of the parse tree a statement may have (the reports have at most 15). DuckDB's own bound (1,000 levels
   * of expressions) is no protection: binding 800 nested abs() overflows a 1 MB thread stack and the JVM dies of
   * SIGSEGV (measured on 1.4.4), whatever thread it runs on.
   */
  static final int MAX_DEPTH = 200;
  private static final Set<String> OWN_CATALOGS = Set.of("", "memory");
  private static final Set<String> OWN_SCHEMAS = Set.of("", "main");

  private final FunctionPolicy functions;
  private final SystemCatalog system;
  private final Set<String> views = new HashSet<>();
  private final List<String> viewNames;
  private final List<String> tablesPresent;
  private final Lake lake;
  private boolean computedSeries;

  QueryTreeCheck(FunctionPolicy functions, SystemCatalog system, List<String> views, List<String> tablesPresent,
      Lake lake) {
    this.functions = functions;
    this.system = system;
    this.viewNames = views;
    this.tablesPresent = tablesPresent;
    this.lake = lake;
    views.forEach(v -> this.views.add(v.toLowerCase(Locale.ROOT)));
  }

  /** Throws {@link QueryException} at the first thing not allowed. */
  void check(JsonNode statement) {
    walk(statement, Set.of(), false, 0);
  }

  /** Whether a range()/generate_series() table function has computed bounds, so only its plan can size it. */
  boolean hasComputedSeries() {
    return computedSeries;
  }

  private void walk(JsonNode node, Set<String> scope, boolean inLambda, int depth) {
    if (node.isArray()) {
      for (JsonNode child : node) walk(child, scope, inLambda, depth);
      return;
    }
    if (!node.isObject()) return;
    if (depth > MAX_DEPTH) {
      throw refused("the statement nests more than " + MAX_DEPTH + " levels deep (expressions in expressions, "
          + "subqueries in subqueries): flatten it, e.g. with WITH");
    }
    if (node.has("cte_map")) {
      walkQuery(node, scope, inLambda, depth);
      return;
    }
    switch (node.path("type").asText()) {
      case "BASE_TABLE" -> checkTable(node, scope);
      case "SHOW_REF" -> checkShow(node);
      case "TABLE_FUNCTION" -> {
        JsonNode function = node.path("function");
        functions.checkTableFunction(function);
        if (ValueBounds.SERIES.contains(FunctionPolicy.name(function))
            && ValueBounds.seriesRows(FunctionPolicy.name(function), FunctionPolicy.arguments(function)).isEmpty()) {
          computedSeries = true;
        }
        walk(function.path("children"), scope, inLambda, depth + 2);
        walkFields(node, scope, inLambda, depth, Set.of("function"));
        return;
      }
      default -> { }
    }
    switch (node.path("class").asText()) {
      case "FUNCTION" -> functions.checkCall(node, inLambda);
      case "WINDOW" -> functions.checkWindow(node);
      case "LAMBDA" -> {
        walk(node.path("lhs"), scope, inLambda, depth + 1);
        walk(node.path("expr"), scope, true, depth + 1);
        return;
      }
      default -> { }
    }
    walkFields(node, scope, inLambda, depth, Set.of());
  }

  /** A query node: its WITH items in order, each seeing those before it, then the rest seeing them all. */
  private void walkQuery(JsonNode node, Set<String> scope, boolean inLambda, int depth) {
    List<String> names = new ArrayList<>();
    Set<String> visible = new HashSet<>(scope);
    for (JsonNode item : node.path("cte_map").path("map")) {
      String name = item.path("key").asText().toLowerCase(Locale.ROOT);
      checkWithName(name);
      walk(item.path("value"), Set.copyOf(visible), inLambda, depth + 1);
      visible.add(name);
      names.add(name);
    }
    String type = node.path("type").asText();
    String ownName = node.path("cte_name").asText().toLowerCase(Locale.ROOT);
    if (type.equals("SELECT_NODE")) checkGathering(node);
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("cte_map")) continue;
      Set<String> fieldScope = visible;
      if (type.equals("RECURSIVE_CTE_NODE") && field.getKey().equals("right")) {
        // The recursive part of a recursive CTE reads the CTE itself.
        fieldScope = plus(visible, ownName);
      } else if (type.equals("CTE_NODE") && field.getKey().equals("query")) {
        // A materialized CTE's body: it sees the items before it, not itself.
        int own = names.indexOf(ownName);
        fieldScope = new HashSet<>(scope);
        fieldScope.addAll(own < 0 ? List.of() : names.subList(0, own));
      }
      walk(field.getValue(), Set.copyOf(fieldScope), inLambda, depth + 1);
    }
  }

  private void walkFields(JsonNode node, Set<String> scope, boolean inLambda, int depth, Set<String> skip) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!skip.contains(field.getKey())) walk(field.getValue(), scope, inLambda, depth + 1);
    }
  }

  private void checkWithName(String name) {
    if (system.isReserved(name)) {
      throw refused("WITH " + name + " AS (...) is not allowed: the name belongs to DuckDB's own catalog "
          + "(duckdb_*, pg_*, information_schema, sqlite_*, ...); pick another name");
    }
  }

  private void checkTable(JsonNode node, Set<String> scope) {
    String catalog = node.path("catalog_name").asText().toLowerCase(Locale.ROOT);
    String schema = node.path("schema_name").asText().toLowerCase(Locale.ROOT);
    String name = node.path("table_name").asText();
    String lower = name.toLowerCase(Locale.ROOT);
    String qualified = (catalog.isEmpty() ? "" : catalog + ".") + (schema.isEmpty() ? "" : schema + ".") + name;
    if (name.contains("/") || name.contains("\\") || name.contains(".")) {
      throw refused("'" + name + "' looks like a file: files cannot be read directly, only the lake's views ("
          + String.join(", ", viewNames) + ")");
    }
    if (!OWN_CATALOGS.contains(catalog) || !OWN_SCHEMAS.contains(schema)) {
      throw refused("table " + qualified + " is outside the lake: only its views can be queried ("
          + String.join(", ", viewNames) + ")");
    }
    boolean qualifiedName = !catalog.isEmpty() || !schema.isEmpty();
    // DuckDB resolves a qualified name in the catalog only, never to a WITH item.
    if (!qualifiedName && scope.contains(lower)) return;
    if (views.contains(lower)) return;
    if (system.isReserved(lower)) {
      throw refused(qualified + " is one of DuckDB's own views, not the lake's: only the lake's views can be "
          + "queried (" + String.join(", ", viewNames) + ")");
    }
    throw new QueryException(QueryException.Kind.UNKNOWN_TABLE, "no table '" + name + "' in " + lake
        + ": tables present: " + (tablesPresent.isEmpty() ? "none yet" : String.join(", ", tablesPresent))
        + (viewNames.size() > tablesPresent.size() ? " (views: " + String.join(", ", viewNames) + ")" : ""));
  }

  private static void checkShow(JsonNode node) {
    if (!node.path("query").isNull() && !node.path("query").isMissingNode()) return; // DESCRIBE/SUMMARIZE q
    String name = node.path("table_name").asText().replace("\"", "").toLowerCase(Locale.ROOT);
    if (!name.equals("tables")) {
      throw refused("SHOW " + name + " is not allowed: SHOW TABLES, DESCRIBE view and SUMMARIZE view are");
    }
  }

  /** string_agg()/list() straight over a range of literal size: how much they gather is known up front. */
  private static void checkGathering(JsonNode select) {
    JsonNode from = select.path("from_table");
    if (!from.path("type").asText().equals("TABLE_FUNCTION")) return;
    String series = FunctionPolicy.name(from.path("function"));
    if (!ValueBounds.SERIES.contains(series)) return;
    Optional<BigDecimal> rows = ValueBounds.seriesRows(series, FunctionPolicy.arguments(from.path("function")));
    if (rows.isEmpty()) return;
    for (JsonNode expression : select.path("select_list")) gathering(expression, rows.get());
    gathering(select.path("having"), rows.get());
  }

  private static void gathering(JsonNode node, BigDecimal rows) {
    if (node.isArray()) {
      for (JsonNode child : node) gathering(child, rows);
      return;
    }
    if (!node.isObject() || node.has("cte_map") || node.path("class").asText().equals("WINDOW")) return;
    if (node.path("class").asText().equals("FUNCTION")
        && ValueBounds.GATHERING_AGGREGATES.contains(FunctionPolicy.name(node))) {
      ValueBounds.checkGathered(FunctionPolicy.name(node), FunctionPolicy.arguments(node), rows);
    }
    for (JsonNode child : node) gathering(child, rows);
  }

  private static Set<String> plus(Set<String> set, String name) {
    Set<String> out = new HashSet<>(set);
    if (!name.isEmpty()) out.add(name);
    return out;
  }

  private static QueryException refused(String message) {
    return new QueryException(QueryException.Kind.REFUSED, message);
  }
}
