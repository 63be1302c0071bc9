package io.fleetpulse.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Values spelled out in a statement, read from DuckDB's parse tree before anything runs. Only what the parser
 * itself knows counts (a constant, a constant cast, a negated constant): anything computed, even from constants,
 * is "not a literal", so a bound checked here cannot be dodged by arithmetic.
 */
final class Literals {

  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private Literals() {}

  /** The number a node spells out, if it is one (integers, decimals, doubles, or a string holding a number). */
  static Optional<BigDecimal> number(JsonNode node) {
    switch (node.path("class").asText()) {
      case "CONSTANT" -> {
        return constantNumber(node.path("value"));
      }
      case "CAST" -> {
        return number(node.path("child"));
      }
      case "FUNCTION" -> {
        JsonNode args = node.path("children");
        if (!node.path("is_operator").asBoolean() || args.size() != 1) return Optional.empty();
        String op = node.path("function_name").asText();
        if (op.equals("-")) return number(args.get(0)).map(BigDecimal::negate);
        if (op.equals("+")) return number(args.get(0));
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** The string a node spells out: a string constant, possibly cast to VARCHAR. */
  static Optional<String> string(JsonNode node) {
    String kind = node.path("class").asText();
    if (kind.equals("CAST") && node.path("cast_type").path("id").asText().equals("VARCHAR")) {
      return string(node.path("child"));
    }
    if (!kind.equals("CONSTANT")) return Optional.empty();
    JsonNode value = node.path("value");
    if (value.path("is_null").asBoolean() || !value.path("type").path("id").asText().equals("VARCHAR")) {
      return Optional.empty();
    }
    return Optional.of(value.path("value").asText());
  }

  /** The number of elements of a list spelled out as {@code [a, b, ...]} whose elements are all literals. */
  static Optional<Long> listLength(JsonNode node) {
    if (!node.path("class").asText().equals("FUNCTION")
        || !node.path("function_name").asText().equals("list_value")) {
      return Optional.empty();
    }
    for (JsonNode element : node.path("children")) {
      if (number(element).isEmpty() && string(element).isEmpty() && !isNull(element)) return Optional.empty();
    }
    return Optional.of((long) node.path("children").size());
  }

  static boolean isNull(JsonNode node) {
    return node.path("class").asText().equals("CONSTANT") && node.path("value").path("is_null").asBoolean();
  }

  private static Optional<BigDecimal> constantNumber(JsonNode value) {
    if (value.path("is_null").asBoolean()) return Optional.empty();
    JsonNode type = value.path("type");
    JsonNode v = value.path("value");
    switch (type.path("id").asText()) {
      case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT" -> {
        return Optional.of(new BigDecimal(v.bigIntegerValue()));
      }
      case "HUGEINT", "UHUGEINT" -> {
        // Two 64-bit halves; the lower one is unsigned.
        BigInteger upper = BigInteger.valueOf(v.path("upper").asLong());
        BigInteger lower = new BigInteger(Long.toUnsignedString(v.path("lower").asLong()));
        return Optional.of(new BigDecimal(upper.multiply(TWO_TO_64).add(lower)));
      }
      case "DECIMAL" -> {
        int scale = type.path("type_info").path("scale").asInt();
        return Optional.of(new BigDecimal(v.bigIntegerValue(), scale));
      }
      case "FLOAT", "DOUBLE" -> {
        double d = v.asDouble();
        return Double.isFinite(d) ? Optional.of(BigDecimal.valueOf(d)) : Optional.empty();
      }
      case "VARCHAR" -> {
        // DuckDB casts a string literal to the number a function expects: '3000000000' counts as that number.
        try {
          return Optional.of(new BigDecimal(v.asText().strip().replace("_", "")));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
      default -> {
        return Optional.empty();
      }
    }
  }
}
