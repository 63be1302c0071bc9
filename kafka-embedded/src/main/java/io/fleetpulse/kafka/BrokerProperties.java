package io.fleetpulse.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The server.properties of a single-node KRaft broker that runs on a laptop, next to the code it serves. */
final class BrokerProperties {

  static final int NODE_ID = 1;
  static final String HOST = "127.0.0.1";

  private BrokerProperties() {
  }

  static Properties build(Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
    Properties p = new Properties();

    // Combined mode with a static voter set: a dynamic quorum (controller.quorum.bootstrap.servers +
    // format --standalone) records the controller endpoint in the metadata log, which would pin the
    // controller port across restarts on the same log dir. Static voters let every start pick a free port.
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", String.valueOf(NODE_ID));
    p.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);

    // Loopback only: a development broker must not be reachable from the network.
    p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");

    p.setProperty("log.dirs", logDir.toAbsolutePath().toString());

    // One node: every internal topic must fit on it, or the first consumer group / transaction /
    // share group waits for replicas that never come.
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    // The default of 50 partitions per internal topic only slows the first group join on one node.
    p.setProperty("offsets.topic.num.partitions", "4");
    p.setProperty("transaction.state.log.num.partitions", "4");
    p.setProperty("share.coordinator.state.topic.num.partitions", "4");

    // Tests and local runs start consumers right away; the default 3 s delay would only make them wait.
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // Simulated telemetry carries event times far in the past; time-based retention would delete it
    // within minutes (docs/design.md §8: record timestamps are wall clock, event time is in the payload).
    p.setProperty("log.retention.ms", "-1");
    // Topics are part of the pipeline's contract: a typo should fail, not create a new topic.
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("num.partitions", "4");

    // Laptop sizing: the defaults are tuned for a dedicated server (1 GiB segments, a 128 MiB cleaner
    // buffer on the heap, dozens of threads).
    p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.setProperty("log.index.size.max.bytes", String.valueOf(2 * 1024 * 1024));
    p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.io.threads", "4");
    p.setProperty("background.threads", "4");
    p.setProperty("num.recovery.threads.per.data.dir", "1");

    overrides.forEach(p::setProperty);
    return p;
  }
}
