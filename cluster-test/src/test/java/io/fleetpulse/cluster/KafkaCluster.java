package io.fleetpulse.cluster;

import io.fleetpulse.testing.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of separate JVMs on loopback, each started from Kafka's own main ({@code kafka.Kafka
 * server.properties}): every node is broker and controller, with a static quorum of all of them, so one node can die
 * and the other two still elect a controller and serve every partition (replication 3, min.insync.replicas 2).
 */
public final class KafkaCluster {

  private final Path dir;
  private final int size;
  private final ChildJvms jvms;
  private final int[] brokerPorts;
  private final int[] controllerPorts;
  private final ChildJvm[] nodes;

  public KafkaCluster(Path dir, int size, ChildJvms jvms) {
    this.dir = dir;
    this.size = size;
    this.jvms = jvms;
    this.brokerPorts = new int[size];
    this.controllerPorts = new int[size];
    this.nodes = new ChildJvm[size];
    for (int i = 0; i < size; i++) {
      brokerPorts[i] = Ports.free();
      controllerPorts[i] = Ports.free();
    }
  }

  /** Formats every node's storage with one cluster id, starts the nodes and waits until all are registered. */
  public KafkaCluster start() throws Exception {
    String clusterId = Uuid.randomUuid().toString();
    Path log4j = Log4jConfig.write(dir.resolve("log4j2.properties"), "WARN",
        Map.of("kafka.server.KafkaRaftServer", "INFO", "kafka.server.BrokerServer", "INFO",
            "org.apache.kafka.raft.QuorumState", "INFO"));
    for (int id = 1; id <= size; id++) {
      Path props = writeProperties(id);
      format(clusterId, props);
      nodes[id - 1] = jvms.add(ChildJvm.start("kafka-" + id, Classpaths.test(),
          List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC", "-Dlog4j2.configurationFile=" + log4j.toUri()),
          "kafka.Kafka", List.of(props.toString()), dir.resolve("kafka-" + id + ".log")));
    }
    try (Admin admin = admin()) {
      Await.until("all " + size + " Kafka nodes registered", Duration.ofMinutes(2), () -> {
        for (ChildJvm node : nodes) {
          if (!node.isAlive()) throw new IllegalStateException(node + " exited:\n" + node.tail(30));
        }
        return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == size;
      });
    }
    return this;
  }

  public String bootstrapServers() {
    List<String> servers = new ArrayList<>();
    for (int port : brokerPorts) servers.add(Ports.HOST + ":" + port);
    return String.join(",", servers);
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.CLIENT_ID_CONFIG, "cluster-test-admin"));
  }

  /** Creates a topic replicated to every node, durable while one node is down (min.insync.replicas = size - 1). */
  public void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = admin()) {
      io.fleetpulse.platform.TopicAdmin.ensure(admin, List.of(new NewTopic(name, partitions, (short) size)
          .configs(Map.of("min.insync.replicas", String.valueOf(size - 1)))), bootstrapServers());
    }
  }

  /** The JVM of node {@code id} (1-based). */
  public ChildJvm node(int id) {
    return nodes[id - 1];
  }

  /** Kills node {@code id} with SIGKILL and waits until the others no longer list it. */
  public void kill(int id) throws Exception {
    node(id).kill();
    try (Admin admin = admin()) {
      Await.until("node " + id + " gone from the cluster's metadata", Duration.ofMinutes(1), () ->
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().noneMatch(n -> n.id() == id));
    }
  }

  private Path writeProperties(int id) throws IOException {
    String voters = java.util.stream.IntStream.rangeClosed(1, size)
        .mapToObj(n -> n + "@" + Ports.HOST + ":" + controllerPorts[n - 1]).collect(Collectors.joining(","));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(id));
    p.put("controller.quorum.voters", voters);
    p.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + brokerPorts[id - 1] + ",CONTROLLER://" + Ports.HOST + ":"
        + controllerPorts[id - 1]);
    p.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + brokerPorts[id - 1]);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dir.resolve("kafka-" + id + "-data").toString());
    // Production durability: three copies, a write needs two of them, internal topics included.
    p.put("default.replication.factor", String.valueOf(size));
    p.put("min.insync.replicas", String.valueOf(size - 1));
    p.put("offsets.topic.replication.factor", String.valueOf(size));
    p.put("transaction.state.log.replication.factor", String.valueOf(size));
    p.put("transaction.state.log.min.isr", String.valueOf(size - 1));
    p.put("share.coordinator.state.topic.replication.factor", String.valueOf(size));
    p.put("share.coordinator.state.topic.min.isr", String.valueOf(size - 1));
    p.put("unclean.leader.election.enable", "false");
    // Small internal topics: 50 partitions each would only slow a 2-core machine.
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.num.partitions", "4");
    // A dead broker is fenced (and dropped from every ISR, so acks=all writes go on) after 6 s instead of 9 s.
    p.put("broker.heartbeat.interval.ms", "1000");
    p.put("broker.session.timeout.ms", "6000");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.retention.ms", "-1");
    p.put("log.segment.bytes", String.valueOf(32 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("num.replica.fetchers", "1");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    Properties props = new Properties();
    props.putAll(p);
    Path file = dir.resolve("kafka-" + id + ".properties");
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      props.store(w, "node " + id + " of " + size);
    }
    return file;
  }

  // Kafka's own storage tool, in this JVM: its main would exit the JVM, execute returns the exit code.
  private static void format(String clusterId, Path props) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", props.toString()}, ps);
    } catch (Exception e) {
      throw new IllegalStateException("formatting " + props + " failed: " + out.toString(StandardCharsets.UTF_8), e);
    }
    if (code != 0) {
      throw new IllegalStateException("formatting " + props + " failed (exit " + code + "): "
          + out.toString(StandardCharsets.UTF_8));
    }
  }

}
