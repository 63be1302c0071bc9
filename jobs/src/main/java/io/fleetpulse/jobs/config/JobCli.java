package io.fleetpulse.jobs.config;

import io.fleetpulse.model.Durations;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The command line of the metrics job, generated from {@link JobOptions}: one flag per option, with its type,
 * default and environment variable in --help. Used by the job's own main (flink run) and by {@code fleetpulse job}.
 */
public final class JobCli {

  static final String KAFKA_PROPERTY = "--kafka-property";
  static final String SET = "--set";

  private JobCli() {}

  /** What runs the job once the flags are parsed: on a cluster (flink run) or on a local MiniCluster. */
  public abstract static class Command implements java.util.concurrent.Callable<Integer> {
    private CommandSpec spec;

    /** The job's settings from this command's flags and the environment. */
    protected JobConfig config() {
      return read(spec.commandLine().getParseResult(), System.getenv());
    }
  }

  /** The parse result of a command, for flags beyond {@link JobOptions} that a command adds to its spec. */
  public static CommandLine.ParseResult parseResultOf(Command command) {
    return command.spec.commandLine().getParseResult();
  }

  /** The command's spec, built from {@link JobOptions}; picocli calls {@code command} once flags are parsed. */
  public static CommandSpec spec(String name, Command command) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name).mixinStandardHelpOptions(true);
    command.spec = spec;
    spec.usageMessage().description(
        "Runs the FleetPulse metrics job: chip telemetry from Kafka, validated (bad records to the dead-letter "
            + "topic with a reason), windowed per UltraServer in event time into efficiency, carbon and "
            + "price-performance metrics, written exactly-once to Parquet and to Kafka. Every flag can also be "
            + "set by the environment variable shown.").sortOptions(false);
    for (ConfigOption<?> option : JobOptions.ALL) {
      spec.addOption(OptionSpec.builder("--" + option.key())
          .paramLabel(paramLabel(option))
          .type(String.class)
          // Picocli formats descriptions (String.format): a literal % from the option's text must be doubled.
          .description((JobOptions.describe(option) + " Default: " + defaultText(option) + ". Env: "
              + JobOptions.envVar(option) + ".").replace("%", "%%"))
          .build());
    }
    spec.addOption(OptionSpec.builder(KAFKA_PROPERTY)
        .paramLabel("KEY=VALUE").type(Map.class).auxiliaryTypes(String.class, String.class)
        .description("A Kafka client property for every Kafka client of the job (repeatable), e.g. "
            + "security.protocol=SASL_SSL.")
        .build());
    spec.addOption(OptionSpec.builder(SET)
        .paramLabel("KEY=VALUE").type(Map.class).auxiliaryTypes(String.class, String.class)
        .description("Sets one fleet config key over --config and the defaults (repeatable), as the generator was "
            + "given it: the layout samples are checked against. Keys: docs/fleet-model.md.")
        .build());
    return spec;
  }

  /** Reads the parsed flags, then the environment for options without a flag; the rest keep their defaults. */
  public static JobConfig read(CommandLine.ParseResult parsed, Map<String, String> env) {
    JobConfig config = JobConfig.defaults();
    for (ConfigOption<?> option : JobOptions.ALL) {
      OptionSpec spec = parsed.commandSpec().findOption("--" + option.key());
      String value = parsed.hasMatchedOption(spec) ? spec.getValue() : env.get(JobOptions.envVar(option));
      if (value != null) config.parse(option, value);
    }
    OptionSpec props = parsed.commandSpec().findOption(KAFKA_PROPERTY);
    if (parsed.hasMatchedOption(props)) {
      Map<String, String> map = props.getValue();
      map.forEach(config::kafkaProperty);
    }
    OptionSpec set = parsed.commandSpec().findOption(SET);
    if (parsed.hasMatchedOption(set)) {
      Map<String, String> map = set.getValue();
      map.forEach(config::fleetOverride);
    }
    return config.validate();
  }

  static String paramLabel(ConfigOption<?> option) {
    Class<?> type = JobConfig.typeOf(option);
    if (type == Duration.class) return "DURATION";
    if (type == Integer.class || type == Long.class) return "N";
    if (type == Double.class) return "X";
    if (type == Boolean.class) return "true|false";
    if (type.isEnum()) return String.join("|", java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString).toList());
    return option.key().contains("dir") || option.key().equals("data") || option.key().equals("config")
        ? "PATH" : "VALUE";
  }

  public static String defaultText(ConfigOption<?> option) {
    if (option == JobOptions.CHECKPOINT_DIR) return "<data>/_checkpoints";
    if (option == JobOptions.CHIPS) return "fleet.chips of the config (1000000)";
    if (option == JobOptions.INTERVAL) return "fleet.interval of the config (10s)";
    if (option == JobOptions.CHECK_TOPOLOGY) return "true when the fleet is described, else false";
    if (option == JobOptions.RESTORE_FROM) return "the newest under --checkpoint-dir";
    if (!option.hasDefaultValue()) return "none";
    Object d = option.defaultValue();
    return d instanceof Duration duration ? Durations.format(duration) : String.valueOf(d);
  }
}
