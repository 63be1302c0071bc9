package io.fleetpulse.jobs.config;

import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line of the metrics job, built from {@link JobOptions#ALL}: one flag per option, with its type,
 * default and environment variable in --help. Used by the job's own main (flink run) and by {@code fleetpulse job}.
 */
public final class JobCli {

  private JobCli() {}

  /** What runs the job once the flags are parsed: on a cluster (flink run) or on a local MiniCluster. */
  public abstract static class Command implements java.util.concurrent.Callable<Integer> {
    private CommandSpec spec;
    private List<Opt<?>> extra = List.of();

    /** The job's settings from this command's flags and the environment. */
    protected JobConfig config() {
      return read(spec.commandLine().getParseResult(), System.getenv());
    }

    /** The values of the flags a command adds beyond the job's own. */
    protected Flags extraFlags() {
      return Flags.of(spec, extra);
    }
  }

  /** The command's spec: the job's flags, then {@code extra} ones of the command; picocli calls {@code command}. */
  public static CommandSpec spec(String name, Command command, List<Opt<?>> extra) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name).mixinStandardHelpOptions(true);
    command.spec = spec;
    command.extra = List.copyOf(extra);
    spec.usageMessage().description(
        "Runs the FleetPulse metrics job: chip telemetry from Kafka, validated (bad records to the dead-letter "
            + "topic with a reason), windowed per UltraServer in event time into efficiency, carbon and "
            + "price-performance metrics, written exactly-once to Parquet and to Kafka. Every flag can also be "
            + "set by the environment variable shown.").sortOptions(false);
    Flags.declare(spec, JobOptions.ALL);
    Flags.declare(spec, extra);
    return spec;
  }

  /** Reads the parsed flags, then the environment for options without a flag; the rest keep their defaults. */
  public static JobConfig read(CommandLine.ParseResult parsed, Map<String, String> env) {
    return JobConfig.of(Flags.read(parsed, JobOptions.ALL, env)).validate();
  }
}
