package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fleetpulse broker} as the README's separate-terminals path uses it: generate writes to it, and a broker
 * started again on the same folder still holds every record.
 */
@Timeout(240)
class BrokerCommandIT {

  @TempDir Path dir;

  @Test
  void generateWritesToItAndARestartedBrokerKeepsTheRecords() throws Exception {
    int port = io.fleetpulse.platform.LocalMachine.freePort();
    String bootstrap = "127.0.0.1:" + port;
    long written;
    try (RunningBroker broker = RunningBroker.start(dir, port)) {
      assertThat(FleetPulseCli.commandLine().execute("generate", "--bootstrap-servers", bootstrap, "--chips", "640",
          "--start", "2026-11-24T12:00:00Z", "--duration", "1m", "--speedup", "max")).isZero();
      written = records(bootstrap);
      assertThat(written).as("samples and progress markers").isGreaterThan(640 * 6);
    }
    try (RunningBroker again = RunningBroker.start(dir, port)) {
      assertThat(records(bootstrap)).isEqualTo(written);
      assertThat(again.err()).contains("broker: Kafka at " + bootstrap);
    }
  }

  static long records(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<TopicPartition> partitions = admin.describeTopics(List.of("fleet.telemetry")).allTopicNames().get()
          .get("fleet.telemetry").partitions().stream().map(p -> new TopicPartition("fleet.telemetry", p.partition()))
          .toList();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }
  }

  /** The command in a thread, as in its own terminal; closing it is Ctrl-C. */
  record RunningBroker(CommandLine cl, CompletableFuture<Integer> exit, StringWriter errText) implements AutoCloseable {
    static RunningBroker start(Path dir, int port) throws Exception {
      CommandLine cl = BrokerCommand.commandLine();
      StringWriter err = new StringWriter();
      cl.setErr(new PrintWriter(err, true));
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("--data", dir.toString(),
          "--kafka-port", Integer.toString(port)));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
          .until(() -> err.toString().contains("Ctrl-C stops") || exit.isDone());
      assertThat(exit.isDone()).as(err.toString()).isFalse();
      return new RunningBroker(cl, exit, err);
    }

    String err() {
      return errText.toString();
    }

    @Override
    public void close() throws Exception {
      cl.<BrokerCommand>getCommand().stopRequested.countDown();
      assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    }
  }
}
