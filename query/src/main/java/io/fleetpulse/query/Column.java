package io.fleetpulse.query;

/** A result column: its name and DuckDB type (e.g. DOUBLE, VARCHAR, TIMESTAMP WITH TIME ZONE). */
public record Column(String name, String type) {

  boolean numeric() {
    return switch (type.replaceAll("\\(.*", "")) {
      case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
          "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL" -> true;
      default -> false;
    };
  }
}
