package io.fleetpulse.runner;

import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.GracefulStop;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fleetpulse broker}: the demo's in-process KRaft broker on its own, so that generate, job, dashboard and
 * query serve can run in separate terminals without a Kafka installation. Its log stays in the data folder, so a
 * broker started again on the same folder has every topic and record it had.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a single Kafka broker (KRaft, the same in-process broker the demo uses) on 127.0.0.1 until Ctrl-C, its "
          + "log under <data>/_kafka/ (kept: started again on the same folder it has every topic and record). Point "
          + "generate, job and dashboard at the address it prints with --bootstrap-servers. For one machine only: "
          + "a cluster uses a real Kafka deployment."
    })
final class BrokerCommand implements Callable<Integer> {

  static final List<Opt<?>> OPTIONS = List.of(SharedOptions.DATA, SharedOptions.KAFKA_PORT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Counted down by Ctrl-C (or a test) to stop the broker. */
  final CountDownLatch stopRequested = new CountDownLatch(1);

  static CommandLine commandLine() {
    return Commands.commandLine(new BrokerCommand(), OPTIONS);
  }

  @Override
  public Integer call() throws InterruptedException {
    Flags flags = Flags.of(spec, OPTIONS);
    Path logDir = Path.of(flags.get(SharedOptions.DATA)).resolve("_kafka");
    int port = LocalFlink.freePortOr(flags.get(SharedOptions.KAFKA_PORT));
    PrintWriter err = spec.commandLine().getErr();
    try (GracefulStop stop = GracefulStop.install("broker-shutdown", stopRequested::countDown, Duration.ofMinutes(1));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(logDir).port(port).build().start()) {
      err.printf("broker: Kafka at %s (log in %s); Ctrl-C stops%n", broker.bootstrapServers(), logDir);
      err.printf("broker: e.g. ./fleetpulse generate --bootstrap-servers %s%n", broker.bootstrapServers());
      err.flush();
      stopRequested.await();
    }
    err.println("broker: stopped");
    err.flush();
    return 0;
  }
}
