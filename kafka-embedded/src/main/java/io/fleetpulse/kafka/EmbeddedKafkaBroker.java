package io.fleetpulse.kafka;

import io.fleetpulse.platform.LocalMachine;
import io.fleetpulse.platform.TopicAdmin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one node) running inside this JVM.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(dir).build().start()) {
 *     kafka.createTopic("telemetry", 4, Map.of());
 *     ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 *
 * One instance starts once; to restart, close it and start a new one on the same log dir.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final short REPLICATION_FACTOR = 1;

  private final Path logDir;
  private final boolean ownsLogDir;
  private final int requestedPort;
  private final Map<String, String> overrides;
  private final Duration startTimeout;

  private int port;
  private KafkaRaftServer server;
  private Admin admin;
  private boolean started;
  private boolean closed;

  private EmbeddedKafkaBroker(Builder b) {
    this.ownsLogDir = b.logDir == null;
    this.logDir = ownsLogDir ? createTempDir() : b.logDir;
    this.requestedPort = b.port;
    this.overrides = Map.copyOf(b.brokerProperties);
    this.startTimeout = b.startTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Formats the log dir if needed, starts the broker and returns once it accepts client requests. */
  public synchronized EmbeddedKafkaBroker start() {
    if (started) {
      throw new IllegalStateException("An EmbeddedKafkaBroker starts once; build a new one to restart");
    }
    started = true;
    long t0 = System.nanoTime();
    port = requestedPort == 0 ? freePort() : requestedPort;
    Properties props = BrokerProperties.build(logDir, port, freePort(), overrides);
    try {
      formatStorage(props);
      server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
          AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin"));
      awaitReady(t0 + startTimeout.toNanos());
    } catch (RuntimeException e) {
      try {
        close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
    LOG.info("Kafka broker ready at {} (log dir {}) in {} ms",
        bootstrapServers(), logDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return this;
  }

  /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    if (!started) {
      throw new IllegalStateException("Broker not started");
    }
    return BrokerProperties.HOST + ":" + port;
  }

  public Path logDir() {
    return logDir;
  }

  /** Creates the topic with replication factor 1; an existing topic is left as it is. */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    createTopics(List.of(new NewTopic(name, partitions, REPLICATION_FACTOR).configs(configs)));
  }

  /** Creates each topic with its partition count and replication factor 1; existing topics are left as they are. */
  public void createTopics(Map<String, Integer> nameToPartitions) {
    createTopics(nameToPartitions.entrySet().stream()
        .map(e -> new NewTopic(e.getKey(), e.getValue(), REPLICATION_FACTOR))
        .toList());
  }

  private void createTopics(List<NewTopic> topics) {
    TopicAdmin.ensure(requireAdmin(), topics, bootstrapServers());
    awaitLeaders(topics.stream().map(NewTopic::name).toList(), System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
  }

  /**
   * createTopics returns once the controller has the topics; the broker's metadata cache follows a moment later.
   * Waiting until every partition has a leader means a client that starts right after this call finds them.
   */
  private void awaitLeaders(List<String> names, long deadline) {
    Admin client = requireAdmin();
    while (true) {
      try {
        boolean ready = client.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
            .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        if (ready) return;
      } catch (ExecutionException | TimeoutException e) {
        // Not known to the broker yet: ask again below.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for topics " + names, e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Topics " + names + " have no leader 30 s after creation");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /** Shuts the broker down and waits for it; a temp log dir the broker created itself is deleted. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
    if (ownsLogDir) {
      deleteRecursively(logDir);
    }
  }

  private synchronized Admin requireAdmin() {
    if (admin == null || closed) {
      throw new IllegalStateException("Broker not running");
    }
    return admin;
  }

  // StorageTool.main would call System.exit; execute returns the exit code instead. --ignore-formatted
  // keeps the data of an existing log dir, but in 4.2 it still rejects a cluster id that differs from the
  // one in meta.properties, so a restart must pass the stored id.
  private void formatStorage(Properties props) {
    Path config = null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      config = Files.createTempFile("embedded-kafka-", ".properties");
      try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
        props.store(w, "generated by EmbeddedKafkaBroker");
      }
      String[] args = {"format", "-t", clusterId(), "-c", config.toString(), "--ignore-formatted"};
      int exitCode;
      try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
        exitCode = StorageTool.execute(args, ps);
      }
      if (exitCode != 0) {
        throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed (exit code "
            + exitCode + "): " + out.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the broker config for formatting " + logDir, e);
    } finally {
      if (config != null) {
        try {
          Files.deleteIfExists(config);
        } catch (IOException e) {
          LOG.debug("Could not delete {}", config, e);
        }
      }
    }
  }

  private String clusterId() throws IOException {
    Path metaProperties = logDir.resolve("meta.properties");
    if (Files.isRegularFile(metaProperties)) {
      Properties meta = new Properties();
      try (Reader r = Files.newBufferedReader(metaProperties, StandardCharsets.UTF_8)) {
        meta.load(r);
      }
      String stored = meta.getProperty("cluster.id");
      if (stored != null && !stored.isBlank()) {
        return stored;
      }
    }
    return Uuid.randomUuid().toString();
  }

  // startup() returning is not enough: clients need the broker registered and unfenced, which is what a
  // non-empty describeCluster answer from the broker's own metadata shows.
  private void awaitReady(long deadlineNanos) {
    Exception last = null;
    while (System.nanoTime() < deadlineNanos) {
      long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
      try {
        var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(remainingMs, Integer.MAX_VALUE)))
            .nodes().get(remainingMs, TimeUnit.MILLISECONDS);
        if (nodes.stream().map(Node::id).anyMatch(id -> id == BrokerProperties.NODE_ID)) {
          return;
        }
        // Reachable but not yet unfenced: poll again without hammering the broker.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
      }
    }
    throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " (log dir " + logDir
        + ") was not ready within " + startTimeout.toMillis() + " ms", last);
  }

  // Binding to port 0 and releasing it leaves a tiny window for another process to take the port; the
  // controller port has to be known before start (it is in the voter set), so this is the simple way.
  private static int freePort() {
    try {
      return LocalMachine.freePort(InetAddress.getByName(BrokerProperties.HOST));
    } catch (java.net.UnknownHostException e) {
      throw new UncheckedIOException("No loopback address " + BrokerProperties.HOST, e);
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("embedded-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temp log dir", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try {
      LocalMachine.deleteRecursively(dir);
    } catch (UncheckedIOException e) {
      LOG.warn("Could not delete Kafka log dir {}", dir, e);
    }
  }

  public static final class Builder {
    private Path logDir;
    private int port;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(60);

    private Builder() {
    }

    /** Where the data lives; kept on close so a later broker can read it. Without it, a temp dir deleted on close. */
    public Builder logDir(Path logDir) {
      this.logDir = logDir;
      return this;
    }

    /** The PLAINTEXT client port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Any broker config, applied last, e.g. {@code num.partitions} or {@code log.retention.ms}. */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(key, value);
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public EmbeddedKafkaBroker build() {
      return new EmbeddedKafkaBroker(this);
    }
  }
}
