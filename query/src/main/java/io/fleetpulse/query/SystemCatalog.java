package io.fleetpulse.query;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What DuckDB itself brings, read from its catalog when the lake database opens (before any view exists): the
 * names of its own views, tables, schemas and databases (pg_settings, duckdb_tables, information_schema,
 * sqlite_master, system, ...), which no query may read and no WITH name may shadow, and the names of every
 * function it knows, so that the guard can tell a refused function from a typo.
 */
final class SystemCatalog {

  /** Families of system names, whatever this DuckDB version holds today or adds later. */
  static final List<String> RESERVED_PREFIXES = List.of("duckdb_", "pg_", "sqlite_", "pragma_",
      "information_schema");

  private final Set<String> reservedNames;
  private final Set<String> functionNames;

  SystemCatalog(Set<String> reservedNames, Set<String> functionNames) {
    this.reservedNames = Set.copyOf(reservedNames);
    this.functionNames = Set.copyOf(functionNames);
  }

  static SystemCatalog read(Connection c) throws SQLException {
    Set<String> reserved = new HashSet<>(names(c, "SELECT view_name FROM duckdb_views() WHERE internal "
        + "UNION SELECT table_name FROM duckdb_tables() WHERE internal "
        + "UNION SELECT schema_name FROM duckdb_schemas() "
        + "UNION SELECT database_name FROM duckdb_databases()"));
    Set<String> functions = names(c, "SELECT DISTINCT function_name FROM duckdb_functions()");
    return new SystemCatalog(reserved, functions);
  }

  private static Set<String> names(Connection c, String sql) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1).toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** Whether a table (or WITH) name belongs to DuckDB itself. */
  boolean isReserved(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return reservedNames.contains(n) || RESERVED_PREFIXES.stream().anyMatch(n::startsWith);
  }

  /** Every function name DuckDB knows, lower case. */
  Set<String> functionNames() {
    return functionNames;
  }
}
