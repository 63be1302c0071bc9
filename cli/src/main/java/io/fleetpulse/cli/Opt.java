package io.fleetpulse.cli;

import io.fleetpulse.model.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One option of a FleetPulse command, declared once: its flag ({@code --name}), the label of its value, how the
 * value is read, its default and what it means. The flag, its environment variable ({@code FLEETPULSE_NAME}), the
 * text in {@code --help} and the row in docs/options.md all come from here, so a flag that several commands share
 * reads, defaults and means the same in each. Shared ones live in {@link SharedOptions}, the others beside their
 * command.
 *
 * <p>An option without a default is absent until given ({@link Flags#get} returns null); its {@link #defaultText}
 * says what happens then.
 *
 * @param <T> the value's type
 */
public final class Opt<T> {

  private final String name;
  private final String label;
  private final Class<?> type;
  private final Function<String, T> parser;
  private final T defaultValue;
  private final String defaultText;
  private final String description;
  private final boolean multiple;
  private final String alias;

  private Opt(String name, String label, Class<?> type, Function<String, T> parser, T defaultValue,
      String defaultText, String description, boolean multiple) {
    this(name, label, type, parser, defaultValue, defaultText, description, multiple, null);
  }

  private Opt(String name, String label, Class<?> type, Function<String, T> parser, T defaultValue,
      String defaultText, String description, boolean multiple, String alias) {
    this.name = name;
    this.label = label;
    this.type = type;
    this.parser = parser;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.description = description;
    this.multiple = multiple;
    this.alias = alias;
  }

  // ---- declaring ----

  public static Opt<String> string(String name, String label) {
    return new Opt<>(name, label, String.class, String::strip, null, null, null, false);
  }

  public static Opt<Path> path(String name, String label) {
    return new Opt<>(name, label, Path.class, s -> Path.of(s.strip()), null, null, null, false);
  }

  public static Opt<Integer> integer(String name) {
    return new Opt<>(name, "N", Integer.class, s -> Integer.parseInt(s.strip()), null, null, null, false);
  }

  public static Opt<Long> longInt(String name) {
    return new Opt<>(name, "N", Long.class, s -> Long.parseLong(s.strip()), null, null, null, false);
  }

  public static Opt<Double> decimal(String name) {
    return new Opt<>(name, "X", Double.class, s -> Double.parseDouble(s.strip()), null, null, null, false);
  }

  public static Opt<Duration> duration(String name) {
    return new Opt<>(name, "DURATION", Duration.class, Durations::parse, null, null, null, false);
  }

  public static Opt<Instant> time(String name) {
    return new Opt<>(name, "TIME", Instant.class, StartTime::parse, null, null, null, false);
  }

  /** A boolean: {@code --name} alone means true, {@code --name=false} (or {@code --name false}) false. */
  public static Opt<Boolean> bool(String name) {
    return new Opt<>(name, "true|false", Boolean.class, Opt::parseBoolean, false, null, null, false);
  }

  public static <E extends Enum<E>> Opt<E> choice(String name, Class<E> type) {
    String label = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .collect(Collectors.joining("|"));
    return new Opt<>(name, label, type, s -> parseEnum(type, s), null, null, null, false);
  }

  /** A value of any other type, read by {@code parser} (whose IllegalArgumentException names the accepted forms). */
  public static <V> Opt<V> of(String name, String label, Class<?> type, Function<String, V> parser) {
    return new Opt<>(name, label, type, parser, null, null, null, false);
  }

  /** Repeatable {@code --name KEY=VALUE}; the values collect into an ordered map, later ones win. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Opt<Map<String, String>> keyValues(String name) {
    return new Opt<Map<String, String>>(name, "KEY=VALUE", Map.class, Opt::parsePairs, (Map) Map.of(), "none",
        null, true);
  }

  public Opt<T> defaultValue(T value) {
    return new Opt<>(name, label, type, parser, value, defaultText, description, multiple, alias);
  }

  /** What --help and the docs say the default is, when the value alone would not tell (or there is none). */
  public Opt<T> defaultText(String text) {
    return new Opt<>(name, label, type, parser, defaultValue, text, description, multiple, alias);
  }

  public Opt<T> label(String text) {
    return new Opt<>(name, text, type, parser, defaultValue, defaultText, description, multiple, alias);
  }

  public Opt<T> describe(String text) {
    return new Opt<>(name, label, type, parser, defaultValue, defaultText, text, multiple, alias);
  }

  /** A short form of the flag too, such as {@code -r}. */
  public Opt<T> alias(String shortFlag) {
    return new Opt<>(name, label, type, parser, defaultValue, defaultText, description, multiple, shortFlag);
  }

  // ---- reading ----

  public String name() {
    return name;
  }

  public String flag() {
    return "--" + name;
  }

  public String label() {
    return label;
  }

  public Class<?> type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public boolean hasDefault() {
    return defaultValue != null;
  }

  public boolean isSwitch() {
    return type == Boolean.class;
  }

  public boolean isMultiple() {
    return multiple;
  }

  public String description() {
    return Objects.requireNonNull(description, () -> flag() + " has no description");
  }

  /** The default as --help and the docs print it. */
  public String defaultText() {
    if (defaultText != null) return defaultText;
    if (defaultValue == null) return "none";
    if (defaultValue instanceof Duration d) return Durations.format(d);
    if (defaultValue instanceof Enum<?> e) return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return String.valueOf(defaultValue);
  }

  /** The environment variable read when the flag is not given: FLEETPULSE_ and the name in upper snake case. */
  public String envVar() {
    return "FLEETPULSE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The whole help text: meaning, default, and (for single values) the environment variable. */
  public String help() {
    String env = multiple ? "" : " Env: " + envVar() + ".";
    return description() + " Default: " + defaultText() + "." + env;
  }

  /** Reads a value in its text form; the message of a bad one names the flag and what it takes. */
  public T parse(String raw) {
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (why.startsWith(flag())) throw new IllegalArgumentException(why, e);
      throw new IllegalArgumentException(flag() + ": cannot use '" + raw + "' (" + label + "): " + why, e);
    }
  }

  /** The picocli flag: text in, typed by {@link Flags}; a boolean may stand alone. */
  public OptionSpec spec() {
    String[] names = alias == null ? new String[] {flag()} : new String[] {alias, flag()};
    OptionSpec.Builder b = OptionSpec.builder(names).paramLabel(label).userObject(this)
        // Picocli formats descriptions (String.format): a literal % must be doubled.
        .description(help().replace("%", "%%"));
    if (multiple) {
      b.type(Map.class).auxiliaryTypes(String.class, String.class);
    } else if (isSwitch()) {
      b.type(String.class).arity("0..1").fallbackValue("true");
    } else {
      b.type(String.class);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return flag();
  }

  private static Boolean parseBoolean(String raw) {
    String b = raw.strip().toLowerCase(Locale.ROOT);
    if (!b.equals("true") && !b.equals("false")) throw new IllegalArgumentException("expected true or false");
    return Boolean.valueOf(b);
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String raw) {
    try {
      return Enum.valueOf(type, raw.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("one of " + Arrays.stream(type.getEnumConstants())
          .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
    }
  }

  private static Map<String, String> parsePairs(String raw) {
    Map<String, String> pairs = new LinkedHashMap<>();
    int eq = raw.indexOf('=');
    if (eq <= 0) throw new IllegalArgumentException("expected KEY=VALUE");
    pairs.put(raw.substring(0, eq).strip(), raw.substring(eq + 1));
    return pairs;
  }
}
