package io.fleetpulse.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounds, checked on the parse tree before anything runs, on what one function call may build. DuckDB's
 * memory_limit covers only its buffer manager: a string, a list or a constant it builds while evaluating an
 * expression (or while planning: constants are folded before the query runs, where no interrupt reaches) is plain
 * heap. Measured on 1.4.4 with memory_limit 256MB: {@code length(repeat('x', 3000000000))} took 5.8 GB and 20 s,
 * {@code len(range(400000000))} 19.5 GB and 60 s, neither stopped by the interrupt. So the functions that build a
 * value whose size is one of their arguments (repeat, lpad/rpad, range/generate_series as lists, list_resize,
 * bar, printf/format widths, to_base, equi_width_bins) must get that size as a literal within {@link #MAX_BUILT};
 * inside a lambda, whose body runs once per list element, within {@link #MAX_BUILT_PER_ELEMENT}. Table functions
 * yield rows in chunks the interrupt does reach, so their bound ({@link #MAX_SERIES_ROWS}) only saves a query
 * that would surely run out of time.
 */
final class ValueBounds {

  /** Characters of a string, or elements of a list, one call may build from its literal arguments. */
  static final long MAX_BUILT = 10_000;
  /** The same inside a lambda: its body runs once per element of a list that may itself hold MAX_BUILT. */
  static final long MAX_BUILT_PER_ELEMENT = 100;
  /** Rows range()/generate_series() may yield as a table (a count over them takes about 0.1 s per 10^8). */
  static final long MAX_SERIES_ROWS = 100_000_000;
  /** Characters or elements string_agg()/list() may gather over a literal range of rows. */
  static final long MAX_AGGREGATED = 10_000_000;

  static final Set<String> SERIES = Set.of("range", "generate_series");
  static final Set<String> GATHERING_AGGREGATES = Set.of("string_agg", "group_concat", "listagg", "list",
      "array_agg", "histogram", "histogram_exact", "json_group_array", "json_group_object", "json_group_structure",
      "approx_top_k");

  private static final Pattern PRINTF_SPEC = Pattern.compile("%[-+ #0']*(\\*|\\d+)?(?:\\.(\\*|\\d+))?");
  private static final Pattern FORMAT_FIELD = Pattern.compile("\\{([^{}]*)(\\{)?");
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private ValueBounds() {}

  /**
   * Refuses a call to {@code name} whose literal arguments would build a value over the bound.
   *
   * @param inLambda whether the call sits in a lambda body (evaluated per list element)
   */
  static void check(String name, JsonNode args, boolean inLambda) {
    long bound = inLambda ? MAX_BUILT_PER_ELEMENT : MAX_BUILT;
    String where = inLambda ? " inside a lambda (it runs once per list element)" : "";
    switch (name) {
      case "repeat" -> checkRepeat(args, bound, where);
      case "lpad", "rpad" -> within(name, "length", literalCount(name, args, 1, "length"), bound, where);
      case "range", "generate_series" -> within(name, "list length", seriesListLength(name, args), bound, where);
      case "list_resize", "array_resize" -> checkResize(name, args, bound, where);
      case "bar" -> {
        if (args.size() >= 4) within(name, "width", literalCount(name, args, 3, "width"), bound, where);
      }
      case "to_base" -> {
        if (args.size() >= 3) within(name, "min_length", literalCount(name, args, 2, "min_length"), bound, where);
      }
      case "equi_width_bins" -> within(name, "bin count", literalCount(name, args, 2, "bin count"), bound, where);
      case "printf" -> checkPrintf(args, bound, where);
      case "format" -> checkFormat(args, bound, where);
      default -> { }
    }
  }

  /** Rows a range()/generate_series() table function yields, if its arguments are literal integers. */
  static Optional<BigDecimal> seriesRows(String name, JsonNode args) {
    return seriesCount(name, args);
  }

  static void checkSeriesTable(String name, JsonNode args) {
    Optional<BigDecimal> rows = seriesRows(name, args);
    if (rows.isPresent() && rows.get().compareTo(BigDecimal.valueOf(MAX_SERIES_ROWS)) > 0) {
      throw refused(String.format("%s(...) would yield %,d rows; at most %,d are allowed (it would only run into "
          + "the time limit)", name, rows.get().toBigInteger(), MAX_SERIES_ROWS));
    }
  }

  /** Refuses string_agg()/list() over a literal range of rows that would gather more than MAX_AGGREGATED. */
  static void checkGathered(String name, JsonNode args, BigDecimal rows) {
    if (args.isEmpty()) return;
    Optional<BigDecimal> each = width(args.get(0));
    if (each.isEmpty()) return;
    BigDecimal separator = BigDecimal.ZERO;
    if (args.size() >= 2 && (name.equals("string_agg") || name.equals("group_concat") || name.equals("listagg"))) {
      separator = Literals.string(args.get(1)).map(s -> BigDecimal.valueOf(s.length())).orElse(BigDecimal.ZERO);
    }
    BigDecimal total = rows.multiply(each.get().add(separator));
    if (total.compareTo(BigDecimal.valueOf(MAX_AGGREGATED)) > 0) {
      throw refused(String.format("%s(...) over %,d rows would gather %,d characters or elements into one value; "
          + "at most %,d are allowed", name, rows.toBigInteger(), total.toBigInteger(), MAX_AGGREGATED));
    }
  }

  /** What one value of an argument holds at most, when the statement spells it out: characters or elements. */
  private static Optional<BigDecimal> width(JsonNode node) {
    Optional<String> s = Literals.string(node);
    if (s.isPresent()) return Optional.of(BigDecimal.valueOf(s.get().length()));
    if (Literals.number(node).isPresent()) return Optional.of(BigDecimal.ONE);
    // Over a range only its own column can be named: a number, at most 20 characters once cast to text.
    if (node.path("class").asText().equals("COLUMN_REF")) return Optional.of(BigDecimal.ONE);
    if (node.path("class").asText().equals("CAST")) {
      return width(node.path("child")).map(w -> w.max(BigDecimal.valueOf(20)));
    }
    Optional<Long> list = Literals.listLength(node);
    return list.map(BigDecimal::valueOf);
  }

  private static void checkRepeat(JsonNode args, long bound, String where) {
    if (args.size() != 2) return; // DuckDB reports the wrong arity
    BigDecimal count = literalCount("repeat", args, 1, "count");
    Optional<BigDecimal> each = Literals.string(args.get(0)).map(s -> BigDecimal.valueOf(s.length()))
        .or(() -> Literals.listLength(args.get(0)).map(BigDecimal::valueOf));
    if (each.isEmpty()) {
      throw refused("repeat() repeats only a string or list spelled out in the statement (e.g. repeat('-', 20)); "
          + "for a text bar use bar(value, min, max, width)");
    }
    within("repeat", "result length", each.get().multiply(count.max(BigDecimal.ZERO)), bound, where);
  }

  private static void checkResize(String name, JsonNode args, long bound, String where) {
    within(name, "size", literalCount(name, args, 1, "size"), bound, where);
    if (args.size() >= 3 && Literals.number(args.get(2)).isEmpty() && Literals.string(args.get(2)).isEmpty()
        && !Literals.isNull(args.get(2))) {
      throw refused(name + "() fills only with a value spelled out in the statement (a number or a string)");
    }
  }

  private static void checkPrintf(JsonNode args, long bound, String where) {
    String format = literalFormat("printf", args);
    Matcher m = PRINTF_SPEC.matcher(format);
    while (m.find()) {
      for (int g = 1; g <= 2; g++) {
        String part = m.group(g);
        if (part == null) continue;
        if (part.equals("*")) throw refused("printf(): a width or precision taken from an argument (*) is not "
            + "allowed; write the number into the format");
        within("printf", "width", new BigDecimal(part), bound, where);
      }
    }
  }

  private static void checkFormat(JsonNode args, long bound, String where) {
    String format = literalFormat("format", args);
    Matcher m = FORMAT_FIELD.matcher(format);
    while (m.find()) {
      if (m.group(2) != null) throw refused("format(): a width taken from an argument ({:{}}) is not allowed; "
          + "write the number into the format");
      Matcher digits = DIGITS.matcher(m.group(1));
      while (digits.find()) within("format", "width", new BigDecimal(digits.group()), bound, where);
    }
  }

  private static String literalFormat(String name, JsonNode args) {
    if (args.isEmpty()) return "";
    return Literals.string(args.get(0)).orElseThrow(() -> refused(name + "() takes its format as a string "
        + "spelled out in the statement"));
  }

  private static Optional<BigDecimal> seriesCount(String name, JsonNode args) {
    if (args.isEmpty() || args.size() > 3) return Optional.empty();
    BigDecimal[] v = new BigDecimal[args.size()];
    for (int i = 0; i < v.length; i++) {
      Optional<BigDecimal> n = Literals.number(args.get(i));
      if (n.isEmpty()) return Optional.empty();
      v[i] = n.get();
    }
    BigDecimal start = v.length == 1 ? BigDecimal.ZERO : v[0];
    BigDecimal stop = v.length == 1 ? v[0] : v[1];
    BigDecimal step = v.length == 3 ? v[2] : BigDecimal.ONE;
    if (step.signum() == 0) return Optional.empty(); // DuckDB refuses a zero step itself
    BigDecimal span = stop.subtract(start);
    if (span.signum() != 0 && span.signum() != step.signum()) return Optional.of(BigDecimal.ZERO);
    BigDecimal count = span.divide(step, 0, RoundingMode.CEILING);
    if (name.equals("generate_series")) count = count.add(BigDecimal.ONE); // it includes stop
    return Optional.of(count.max(BigDecimal.ZERO));
  }

  private static BigDecimal seriesListLength(String name, JsonNode args) {
    return seriesCount(name, args).orElseThrow(() -> refused(name + "() as a list takes literal integer bounds "
        + "(e.g. " + name + "(0, 24)); for a series of rows or of times use the table function: SELECT * FROM "
        + name + "(...)"));
  }

  private static BigDecimal literalCount(String name, JsonNode args, int index, String what) {
    if (args.size() <= index) return BigDecimal.ZERO;
    return Literals.number(args.get(index)).orElseThrow(() -> refused(name + "(): the " + what + " must be a "
        + "number spelled out in the statement (at most " + String.format("%,d", MAX_BUILT) + "), not computed"));
  }

  private static void within(String name, String what, BigDecimal value, long bound, String where) {
    if (value.compareTo(BigDecimal.valueOf(bound)) > 0) {
      throw refused(String.format("%s(): a %s of %,d is over the bound of %,d%s", name, what,
          value.setScale(0, RoundingMode.CEILING).toBigInteger(), bound, where));
    }
  }

  private static QueryException refused(String message) {
    return new QueryException(QueryException.Kind.REFUSED, message);
  }
}
