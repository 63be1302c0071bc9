package io.fleetpulse.query;

import java.util.List;

/**
 * A canned report: a named query over the lake's views, kept as a plain .sql file (resources
 * io/fleetpulse/query/reports/NAME.sql) that runs as is in any DuckDB holding the same views.
 *
 * @param needs the tables the query reads; a lake without one of them gets a message naming it
 * @param hourly true when the header says {@code -- grain: hour}: the report groups by the hour or coarser and adds
 *     only sums, so it gives the same answer over hour rows, and the lake runs it over the {@code *_span} views
 *     (hour rows where the hour is complete, minute rows for the rest): a week reads 168 rows per group, not 10,080
 */
public record Report(String name, String title, String description, List<String> needs, String sql,
    boolean hourly) {

  public Report(String name, String title, String description, List<String> needs, String sql) {
    this(name, title, description, needs, sql, false);
  }

  /** The SQL the lake runs: over the span views when the report allows it and the lake has them. */
  public String sqlOver(java.util.Collection<String> views) {
    if (!hourly) return sql;
    String out = sql;
    for (String view : views) {
      if (!view.endsWith(SpanViews.SUFFIX)) continue;
      String table = view.substring(0, view.length() - SpanViews.SUFFIX.length()) + "_window";
      out = out.replaceAll("\\b" + table + "\\b", view);
    }
    return out;
  }
}
