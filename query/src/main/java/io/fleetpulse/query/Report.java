package io.fleetpulse.query;

import java.util.List;

/**
 * A canned report: a named query over the lake's views, kept as a plain .sql file (resources
 * io/fleetpulse/query/reports/NAME.sql) that runs as is in any DuckDB holding the same views.
 *
 * @param needs the tables the query reads; a lake without one of them gets a message naming it
 */
public record Report(String name, String title, String description, List<String> needs, String sql) {}
