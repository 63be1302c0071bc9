package io.fleetpulse.dashboard;

import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.cli.CliErrors;
import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.GracefulStop;
import io.fleetpulse.cli.KafkaOptions;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fleetpulse dashboard}: the live dashboard on its own, against any Kafka. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serves a live dashboard of the fleet: reads the window metrics (fleet.metrics.ultraserver, and the site, "
          + "fleet and tenant roll-ups when the job writes them) and alerts (fleet.alerts) from Kafka, and pushes "
          + "every window to the browsers with Server-Sent Events. A browser that connects gets the last --windows windows at "
          + "once; browsers and the Kafka consumer reconnect by themselves after an interruption.",
      "Listens on 127.0.0.1 only unless --bind says otherwise: the dashboard has no login. Prints its URL; Ctrl-C "
          + "stops it."
    })
public final class DashboardCommand implements Callable<Integer> {

  static final Opt<Integer> WINDOWS = Opt.integer("windows").defaultValue(DashboardSettings.DEFAULT_WINDOWS)
      .describe("Windows kept in memory, charted, and sent to a browser when it connects (1.."
          + DashboardSettings.MAX_WINDOWS + ").");

  static final Opt<Duration> HISTORY = Opt.duration("history").defaultValue(DashboardSettings.DEFAULT_HISTORY)
      .describe("On start, read the records written to Kafka this long ago and since (record time), so the page is "
          + "full at once; 0s starts with the next record.");

  static final Opt<Duration> STALE_AFTER = Opt.duration("stale-after")
      .defaultValue(DashboardSettings.DEFAULT_STALE_AFTER)
      .describe("The page warns that the stream looks stalled after this long without a new window record.");

  static final Opt<List<String>> METRICS_TOPICS = Opt.<List<String>>of("metrics-topics", "TOPIC[,TOPIC...]",
          List.class, s -> List.of(s.strip().split("\\s*,\\s*")))
      .defaultValue(DashboardSettings.DEFAULT_METRICS_TOPICS)
      .defaultText(String.join(",", DashboardSettings.DEFAULT_METRICS_TOPICS))
      .describe("Topics of window metrics (any level; the TENANT records feed the tenant view), comma-separated. "
          + "Topics that do not exist yet are picked up when they appear.");

  static final List<Opt<?>> OPTIONS = Commands.options(SharedOptions.KAFKA, List.of(SharedOptions.BIND,
      SharedOptions.DASHBOARD_PORT, WINDOWS, HISTORY, STALE_AFTER, METRICS_TOPICS, SharedOptions.ALERTS_TOPIC,
      SharedOptions.CONFIG, SharedOptions.SET));

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static CommandLine commandLine() {
    return Commands.commandLine(new DashboardCommand(), OPTIONS);
  }

  /** Counted down by Ctrl-C (or a test) to stop serving. */
  final CountDownLatch stopRequested = new CountDownLatch(1);

  DashboardSettings settings() {
    Flags flags = Flags.of(spec, OPTIONS);
    KafkaOptions kafka = KafkaOptions.from(flags);
    boolean describedFleet = flags.isGiven(SharedOptions.CONFIG) || !flags.get(SharedOptions.SET).isEmpty();
    return DashboardSettings.defaults(kafka.bootstrapServers())
        .withKafkaProperties(kafka.properties())
        .withListener(flags.get(SharedOptions.BIND), flags.get(SharedOptions.DASHBOARD_PORT))
        .withRetention(flags.get(WINDOWS), flags.get(HISTORY))
        .withStaleAfter(flags.get(STALE_AFTER))
        .withTopics(flags.get(METRICS_TOPICS), flags.get(SharedOptions.ALERTS_TOPIC))
        .withFleet(describedFleet ? FleetBounds.of(FleetConfigLoader.load(flags.get(SharedOptions.CONFIG),
            flags.get(SharedOptions.SET))) : FleetBounds.defaults());
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
    System.exit(CliErrors.install(commandLine()).execute(args));
  }
}
