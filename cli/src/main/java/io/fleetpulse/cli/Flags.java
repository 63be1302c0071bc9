package io.fleetpulse.cli;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The values of a command's {@link Opt}s: the flag if given, else its environment variable, else the default. Every
 * value is read (and a bad one refused, naming the flag) when the command starts, before anything runs.
 */
public final class Flags {

  private final Map<Opt<?>, Object> values = new LinkedHashMap<>();
  private final Map<Opt<?>, Boolean> given = new LinkedHashMap<>();

  private Flags() {}

  /** Adds {@code options} to {@code spec} as flags, in order. */
  public static CommandSpec declare(CommandSpec spec, Collection<? extends Opt<?>> options) {
    for (Opt<?> option : options) {
      if (spec.findOption(option.flag()) != null) {
        throw new IllegalStateException(spec.name() + " declares " + option.flag() + " twice");
      }
      spec.addOption(option.spec());
    }
    return spec;
  }

  /** Reads {@code options} from a parsed command line and the environment. */
  public static Flags read(CommandLine.ParseResult parsed, Collection<? extends Opt<?>> options,
      Map<String, String> env) {
    Flags flags = new Flags();
    for (Opt<?> option : options) {
      OptionSpec spec = parsed.commandSpec().findOption(option.flag());
      if (spec == null) throw new IllegalStateException(option.flag() + " is not a flag of " + parsed.commandSpec().name());
      if (option.isMultiple()) {
        Map<String, String> map = parsed.hasMatchedOption(spec) ? spec.getValue() : null;
        flags.put(option, map == null ? Map.of() : new LinkedHashMap<>(map), map != null);
        continue;
      }
      String raw = parsed.hasMatchedOption(spec) ? spec.getValue() : env.get(option.envVar());
      flags.put(option, raw == null ? option.defaultValue() : option.parse(raw), raw != null);
    }
    return flags;
  }

  /** Reads the options of the command {@code spec} was built for, as it was parsed, and the process environment. */
  public static Flags of(CommandSpec spec, Collection<? extends Opt<?>> options) {
    return read(spec.commandLine().getParseResult(), options, System.getenv());
  }

  /** Values given in code, as tests and embedding callers do; options not named keep their defaults. */
  public static Flags of(Map<Opt<?>, Object> given, Collection<? extends Opt<?>> options) {
    Flags flags = new Flags();
    options.forEach(o -> flags.put(o, o.defaultValue(), false));
    given.forEach((o, v) -> flags.put(o, v, true));
    return flags;
  }

  private void put(Opt<?> option, Object value, boolean wasGiven) {
    values.put(option, value);
    given.put(option, wasGiven);
  }

  /** The value, or null for an option without a default that was not given. */
  @SuppressWarnings("unchecked")
  public <T> T get(Opt<T> option) {
    if (!values.containsKey(option)) throw new IllegalStateException(option.flag() + " was not read");
    return (T) values.get(option);
  }

  public <T> Optional<T> find(Opt<T> option) {
    return Optional.ofNullable(get(option));
  }

  /** Whether the flag or its environment variable was given (as opposed to the default). */
  public boolean isGiven(Opt<?> option) {
    return given.getOrDefault(option, false);
  }

  public <T> Flags set(Opt<T> option, T value) {
    put(option, value, true);
    return this;
  }

  public List<Opt<?>> options() {
    return List.copyOf(values.keySet());
  }
}
