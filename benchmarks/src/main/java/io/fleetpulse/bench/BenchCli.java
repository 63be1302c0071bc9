package io.fleetpulse.bench;

import io.fleetpulse.cli.CliErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./fleetpulse bench}: measured figures of FleetPulse's parts, one subcommand per part. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    version = "FleetPulse 0.1.0",
    description = {
      "Measures FleetPulse's parts on this machine and prints the figures (throughput, memory, report times). Benchmarks print, "
          + "they never pass or fail: compare the figures with the targets they print beside them.",
      "Close other heavy processes first: on a 2-core machine anything else running moves the figures."
    },
    footer = {"", "Run 'fleetpulse bench COMMAND --help' for a benchmark's flags."})
public final class BenchCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new BenchCli());
    cl.addSubcommand("generator", GeneratorBench.commandLine());
    cl.addSubcommand("job", JobBench.commandLine());
    cl.addSubcommand("latency", LatencyBench.commandLine());
    cl.addSubcommand("dashboard", SseLoadBench.commandLine());
    cl.addSubcommand("lake", LakeBench.commandLine());
    return CliErrors.install(cl);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
