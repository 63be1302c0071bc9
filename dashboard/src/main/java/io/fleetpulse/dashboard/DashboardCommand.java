package io.fleetpulse.dashboard;

import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.cli.CliErrors;
import io.fleetpulse.model.cli.Converters;
import io.fleetpulse.model.cli.GracefulStop;
import io.fleetpulse.model.cli.KafkaOptions;
import io.fleetpulse.schema.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fleetpulse dashboard}: the live dashboard on its own, against any Kafka. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serves a live dashboard of the fleet: reads the window metrics (fleet.metrics.ultraserver, and the site and "
          + "fleet roll-ups when the job writes them) and alerts (fleet.alerts) from Kafka, and pushes every window "
          + "to the browsers with Server-Sent Events. A browser that connects gets the last --windows windows at "
          + "once; browsers and the Kafka consumer reconnect by themselves after an interruption.",
      "Listens on 127.0.0.1 only unless --bind says otherwise: the dashboard has no login. Prints its URL; Ctrl-C "
          + "stops it."
    })
public final class DashboardCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = DashboardSettings.DEFAULT_BIND,
      description = "Address to listen on: 127.0.0.1 serves this machine only; 0.0.0.0 serves every network "
          + "interface (anyone who can reach it sees the fleet). Default: ${DEFAULT-VALUE}.")
  String bind;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DashboardSettings.DEFAULT_PORT,
      description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--windows", paramLabel = "N", defaultValue = "" + DashboardSettings.DEFAULT_WINDOWS,
      description = "Windows kept in memory, charted, and sent to a browser when it connects (1.."
          + DashboardSettings.MAX_WINDOWS + "). Default: ${DEFAULT-VALUE}.")
  int windows;

  @Option(names = "--history", paramLabel = "DURATION", defaultValue = "15m",
      converter = Converters.DurationConverter.class,
      description = "On start, read the records written to Kafka this long ago and since (record time), so the "
          + "page is full at once; 0s starts with the next record. Default: ${DEFAULT-VALUE}.")
  Duration history;

  @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "2m",
      converter = Converters.DurationConverter.class,
      description = "The page warns that the stream looks stalled after this long without a new window record. "
          + "Default: ${DEFAULT-VALUE}.")
  Duration staleAfter;

  @Option(names = "--metrics-topics", paramLabel = "TOPIC", split = ",",
      defaultValue = Topics.METRICS_ULTRASERVER + "," + Topics.METRICS_SITE + "," + Topics.METRICS_FLEET,
      description = "Topics of window metrics (any level). Topics that do not exist yet are picked up when they "
          + "appear. Default: ${DEFAULT-VALUE}.")
  List<String> metricsTopics;

  @Option(names = "--alerts-topic", paramLabel = "TOPIC", defaultValue = Topics.ALERTS,
      description = "Topic of alerts. Default: ${DEFAULT-VALUE}.")
  String alertsTopic;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The job's fleet YAML file, if it was given one: records of sites or chip generations that "
          + "are not in it are skipped as not the job's (unknown_site, unknown_generation). Default: the built-in "
          + "fleet (docs/fleet-model.md).")
  Path config;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Counted down by Ctrl-C (or a test) to stop serving. */
  final CountDownLatch stopRequested = new CountDownLatch(1);

  DashboardSettings settings() {
    return DashboardSettings.defaults(kafka.bootstrapServers())
        .withKafkaProperties(kafka.properties())
        .withListener(bind, port)
        .withRetention(windows, history)
        .withStaleAfter(staleAfter)
        .withTopics(metricsTopics, alertsTopic)
        .withFleet(config == null ? FleetBounds.defaults() : FleetBounds.of(FleetConfigLoader.load(config, Map.of())));
  }

  @Override
  public Integer call() throws InterruptedException {
    DashboardSettings settings = settings();
    PrintWriter err = spec.commandLine().getErr();
    try (GracefulStop stop = GracefulStop.install("dashboard-shutdown", stopRequested::countDown, Duration.ofDays(1));
        DashboardServer server = DashboardServer.start(settings)) {
      err.printf("dashboard: serving %s (Kafka %s, topics %s and %s)%n", server.url(), settings.bootstrapServers(),
          String.join(", ", settings.metricsTopics()), settings.alertsTopic());
      if (settings.exposed()) {
        err.printf("dashboard: listening on %s: anyone who can reach this machine can see the dashboard "
            + "(it has no login)%n", settings.bind());
      }
      err.println("dashboard: Ctrl-C stops");
      err.flush();
      stopRequested.await();
    }
    err.println("dashboard: stopped");
    err.flush();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(CliErrors.install(new CommandLine(new DashboardCommand())).execute(args));
  }
}
