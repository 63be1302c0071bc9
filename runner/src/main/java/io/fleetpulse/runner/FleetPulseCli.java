package io.fleetpulse.runner;

import io.fleetpulse.dashboard.DashboardCommand;
import io.fleetpulse.generator.GenerateCommand;
import io.fleetpulse.generator.LayoutCommand;
import io.fleetpulse.lake.LakeCommand;
import io.fleetpulse.query.QueryCommand;
import io.fleetpulse.cli.CliErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./fleetpulse}: one launcher, a subcommand per way of using FleetPulse. */
@Command(
    name = "fleetpulse",
    mixinStandardHelpOptions = true,
    version = "FleetPulse 0.1.0",
    description = "Measures how efficiently a fleet of AI accelerators turns electricity and money into compute: "
        + "telemetry into Kafka, Flink windows into efficiency, carbon and price-performance, Parquet and Kafka out.",
    footer = {"  bench     Benchmarks that print figures: ./fleetpulse bench --help",
        "", "Run 'fleetpulse COMMAND --help' for a command's flags. Docs: README.md, docs/."})
public final class FleetPulseCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new FleetPulseCli());
    cl.addSubcommand("demo", DemoCommand.commandLine());
    cl.addSubcommand("generate", GenerateCommand.commandLine());
    cl.addSubcommand("job", new CommandLine(LocalJobCommand.spec()));
    cl.addSubcommand("dashboard", DashboardCommand.commandLine());
    cl.addSubcommand("query", QueryCommand.commandLine());
    cl.addSubcommand("lake", LakeCommand.commandLine());
    cl.addSubcommand("layout", LayoutCommand.commandLine());
    cl.addSubcommand("broker", BrokerCommand.commandLine());
    return CliErrors.install(cl);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
