package io.fleetpulse.dashboard;

import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.schema.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link DashboardServer} needs: where Kafka is, where to listen, and how much history to keep.
 * {@link #defaults(String)} gives the documented defaults; the {@code with*} methods change one setting each.
 * Invalid values fail here, at construction, with a message naming the flag that sets them.
 *
 * @param bootstrapServers Kafka brokers, {@code --bootstrap-servers}
 * @param kafkaProperties client properties passed through unchanged, {@code --kafka-property}
 * @param bind address to listen on, {@code --bind}; loopback by default: the dashboard has no login
 * @param port port to listen on, 0 for any free port, {@code --dashboard-port}
 * @param windows windows kept in memory and sent to a browser when it connects, {@code --windows}
 * @param history how far back (Kafka record time) to read when the dashboard starts, {@code --history}
 * @param staleAfter the page flags the stream as stalled after this long without a new window record
 * @param metricsTopics topics of WindowMetrics records (any level; TENANT records feed the tenant view),
 *     {@code --metrics-topics}
 * @param alertsTopic topic of Alert records, {@code --alerts-topic}
 * @param topicDiscoveryInterval how often to look for topics and partitions that appeared since the last look
 * @param heartbeatInterval how often browsers get a status event (also how dead connections are noticed)
 * @param minPushInterval least time between two pushes of changed windows. A window arrives as a burst of
 *     UltraServer records (thousands at a large fleet); a change is pushed once the records pause, or after at
 *     most 250 ms while they keep coming (1 s while catching up), so a burst becomes one push, not thousands
 * @param fleet the sites and chip generations records may name, from the job's fleet config ({@code --config});
 *     records of any other are skipped as not the job's
 */
public record DashboardSettings(
    String bootstrapServers,
    Map<String, String> kafkaProperties,
    String bind,
    int port,
    int windows,
    Duration history,
    Duration staleAfter,
    List<String> metricsTopics,
    String alertsTopic,
    Duration topicDiscoveryInterval,
    Duration heartbeatInterval,
    Duration minPushInterval,
    FleetBounds fleet) {

  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8088;
  public static final int DEFAULT_WINDOWS = 60;
  public static final int MAX_WINDOWS = 10_000;
  public static final Duration DEFAULT_HISTORY = Duration.ofMinutes(15);
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(2);
  public static final List<String> DEFAULT_METRICS_TOPICS =
      List.of(Topics.METRICS_ULTRASERVER, Topics.METRICS_SITE, Topics.METRICS_FLEET, Topics.METRICS_TENANT);

  public DashboardSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("--bootstrap-servers is empty: give HOST:PORT of a Kafka broker");
    }
    kafkaProperties = Map.copyOf(kafkaProperties);
    checkBind(bind);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--dashboard-port must be 0..65535 (0 picks a free port), got " + port);
    }
    if (windows < 1 || windows > MAX_WINDOWS) {
      throw new IllegalArgumentException("--windows must be 1.." + MAX_WINDOWS + ", got " + windows);
    }
    requireNonNegative("--history", history);
    requirePositive("--stale-after", staleAfter);
    metricsTopics = List.copyOf(metricsTopics);
    if (metricsTopics.isEmpty() || metricsTopics.stream().anyMatch(t -> t == null || t.isBlank())) {
      throw new IllegalArgumentException("--metrics-topics needs at least one topic name, got " + metricsTopics);
    }
    if (alertsTopic == null || alertsTopic.isBlank() || metricsTopics.contains(alertsTopic)) {
      throw new IllegalArgumentException(
          "--alerts-topic must name a topic that is not one of --metrics-topics, got '" + alertsTopic + "'");
    }
    requirePositive("topic discovery interval", topicDiscoveryInterval);
    requirePositive("heartbeat interval", heartbeatInterval);
    requireNonNegative("minimum push interval", minPushInterval);
    if (fleet == null) throw new IllegalArgumentException("no fleet: give the job's fleet config (--config)");
  }

  public static DashboardSettings defaults(String bootstrapServers) {
    return new DashboardSettings(bootstrapServers, Map.of(), DEFAULT_BIND, DEFAULT_PORT, DEFAULT_WINDOWS,
        DEFAULT_HISTORY, DEFAULT_STALE_AFTER, DEFAULT_METRICS_TOPICS, Topics.ALERTS, Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofMillis(100), FleetBounds.defaults());
  }

  public DashboardSettings withKafkaProperties(Map<String, String> properties) {
    return new DashboardSettings(bootstrapServers, properties, bind, port, windows, history, staleAfter,
        metricsTopics, alertsTopic, topicDiscoveryInterval, heartbeatInterval, minPushInterval, fleet);
  }

  public DashboardSettings withListener(String bind, int port) {
    return new DashboardSettings(bootstrapServers, kafkaProperties, bind, port, windows, history, staleAfter,
        metricsTopics, alertsTopic, topicDiscoveryInterval, heartbeatInterval, minPushInterval, fleet);
  }

  public DashboardSettings withRetention(int windows, Duration history) {
    return new DashboardSettings(bootstrapServers, kafkaProperties, bind, port, windows, history, staleAfter,
        metricsTopics, alertsTopic, topicDiscoveryInterval, heartbeatInterval, minPushInterval, fleet);
  }

  public DashboardSettings withStaleAfter(Duration staleAfter) {
    return new DashboardSettings(bootstrapServers, kafkaProperties, bind, port, windows, history, staleAfter,
        metricsTopics, alertsTopic, topicDiscoveryInterval, heartbeatInterval, minPushInterval, fleet);
  }

  public DashboardSettings withTopics(List<String> metricsTopics, String alertsTopic) {
    return new DashboardSettings(bootstrapServers, kafkaProperties, bind, port, windows, history, staleAfter,
        metricsTopics, alertsTopic, topicDiscoveryInterval, heartbeatInterval, minPushInterval, fleet);
  }

  public DashboardSettings withIntervals(Duration topicDiscovery, Duration heartbeat, Duration minPush) {
    return new DashboardSettings(bootstrapServers, kafkaProperties, bind, port, windows, history, staleAfter,
        metricsTopics, alertsTopic, topicDiscovery, heartbeat, minPush, fleet);
  }

  /** The fleet whose records to show: the job's config (its --config file and --set), e.g. the demo's. */
  public DashboardSettings withFleet(FleetConfig config) {
    return withFleet(FleetBounds.of(config));
  }

  public DashboardSettings withFleet(FleetBounds fleet) {
    return new DashboardSettings(bootstrapServers, kafkaProperties, bind, port, windows, history, staleAfter,
        metricsTopics, alertsTopic, topicDiscoveryInterval, heartbeatInterval, minPushInterval, fleet);
  }

  /** True when the server is reachable from other machines: it has no login, so the command warns. */
  public boolean exposed() {
    try {
      return !InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return true;
    }
  }

  private static void checkBind(String bind) {
    String usage = "--bind takes an address of this machine to listen on: 127.0.0.1 (the default, this machine "
        + "only), 0.0.0.0 (every interface) or a host name";
    if (bind == null || bind.isBlank()) throw new IllegalArgumentException(usage + ", got an empty value");
    try {
      InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(usage + ", got '" + bind + "' (unknown host)");
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration (e.g. 2m), got "
          + (d == null ? "nothing" : Durations.format(d)));
    }
  }

  private static void requireNonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a duration of 0 or more (e.g. 15m), got "
          + (d == null ? "nothing" : d.toString()));
    }
  }
}
