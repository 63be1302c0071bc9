package io.fleetpulse.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Locale;
import java.util.Set;

/**
 * Judges each function a statement calls, by name, on DuckDB's parse tree: allowed ones ({@link AllowedFunctions})
 * pass with their size bounds ({@link ValueBounds}); one DuckDB does not know is left for DuckDB to report (a
 * typo gets DuckDB's "did you mean"); any other is refused, naming it.
 */
final class FunctionPolicy {

  /** Table functions that read nothing: the lake is read through its views only. */
  static final Set<String> TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest");

  /** Schemas a function may be qualified with; any other "schema" is the receiver of a method call. */
  private static final Set<String> CATALOG_SCHEMAS = Set.of("", "main", "pg_catalog");

  /**
   * Refused even where this DuckDB does not know them (getenv is the CLI's; an extension may bring others): a
   * later version must not quietly let them through.
   */
  static final Set<String> ALWAYS_REFUSED = Set.of("getenv", "current_setting", "getvariable", "version",
      "platform", "pragma_platform", "pragma_version", "user_agent", "database_size", "read_text", "read_blob",
      "glob", "query", "query_table", "sql_auto_complete", "which_secret");

  private final Set<String> known;

  /** @param known every function name DuckDB's catalog holds, lower case */
  FunctionPolicy(Set<String> known) {
    this.known = known;
  }

  /** A scalar or aggregate call; {@code inLambda} when it sits in a lambda body. */
  void checkCall(JsonNode node, boolean inLambda) {
    String name = name(node);
    checkName(name);
    JsonNode args = arguments(node);
    if (name.equals("list_aggregate") || name.equals("list_aggr") || name.equals("array_aggregate")
        || name.equals("array_aggr") || name.equals("aggregate")) {
      checkNamedAggregate(name, args);
    }
    ValueBounds.check(name, args, inLambda);
  }

  /** A window function: ranking ones arrive with their own WINDOW_* type; aggregates as WINDOW_AGGREGATE. */
  void checkWindow(JsonNode node) {
    String name = name(node);
    checkName(name);
    if (ValueBounds.GATHERING_AGGREGATES.contains(name)) {
      throw refused(name + "() is not allowed as a window function: each row would hold everything its frame "
          + "gathered (rows squared in all, outside DuckDB's memory limit); aggregate with GROUP BY instead");
    }
  }

  void checkTableFunction(JsonNode function) {
    String name = name(function);
    if (!TABLE_FUNCTIONS.contains(name)) {
      throw refused("table function " + name + "(...) is not allowed: only the lake's views can be read "
          + "(table functions allowed: " + String.join(", ", TABLE_FUNCTIONS.stream().sorted().toList()) + ")");
    }
    if (ValueBounds.SERIES.contains(name)) ValueBounds.checkSeriesTable(name, arguments(function));
  }

  /**
   * The call's arguments as DuckDB will bind them. {@code s.repeat(3)} parses as repeat(3) in "schema" s: the
   * value before the dot is a hidden first argument, which is never a literal.
   */
  static JsonNode arguments(JsonNode node) {
    String schema = node.path("schema").asText().toLowerCase(Locale.ROOT);
    if (CATALOG_SCHEMAS.contains(schema)) return node.path("children");
    ArrayNode args = JsonNodeFactory.instance.arrayNode();
    args.addObject().put("class", "COLUMN_REF").put("type", "COLUMN_REF").putArray("column_names").add(schema);
    if (node.path("children").isArray()) args.addAll((ArrayNode) node.path("children"));
    return args;
  }

  static String name(JsonNode node) {
    return node.path("function_name").asText().toLowerCase(Locale.ROOT);
  }

  private void checkName(String name) {
    if (AllowedFunctions.ALL.contains(name)) return;
    if (!known.contains(name) && !ALWAYS_REFUSED.contains(name)) return;
    throw refused("function " + name + "() is not allowed: the endpoint offers arithmetic, aggregates (quantiles "
        + "included), window functions, date/time, text and list functions; settings, the catalog, the system "
        + "and files are out of reach (query/README.md lists what is allowed)");
  }

  private void checkNamedAggregate(String name, JsonNode args) {
    if (args.size() < 2) return;
    String aggregate = Literals.string(args.get(1)).map(s -> s.toLowerCase(Locale.ROOT)).orElseThrow(() ->
        refused(name + "() takes the aggregate's name as a string spelled out in the statement"));
    if (!AllowedFunctions.AGGREGATES.contains(aggregate)) {
      throw refused(name + "(..., '" + aggregate + "'): aggregate " + aggregate + " is not allowed");
    }
  }

  private static QueryException refused(String message) {
    return new QueryException(QueryException.Kind.REFUSED, message);
  }
}
