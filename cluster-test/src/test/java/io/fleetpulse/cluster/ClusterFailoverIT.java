package io.fleetpulse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.schema.Topics;
import io.fleetpulse.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployable job jar on a real cluster of separate processes on this machine, with a TaskManager and a Kafka
 * broker killed (SIGKILL) mid-run, and the Parquet output checked exactly-once against the generator's pure sample
 * function.
 *
 * <p>Processes: a 3-node KRaft Kafka cluster (Kafka's own main, replication 3, min.insync.replicas 2); a Flink
 * standalone session cluster (JobManager + 3 TaskManagers of 1 slot, Flink's own entrypoints); the job jar uploaded
 * and run through the REST API at parallelism 2 (one spare slot); two generator shards. Once a checkpoint holds a
 * quarter of the samples, a TaskManager running the job is killed; once the job has recovered and checkpointed again,
 * the broker coordinating the job's consumer group is killed. Then the generators finish, the job catches up and is
 * stopped with a draining savepoint through REST.
 */
@Timeout(600)
class ClusterFailoverIT {

  static final Instant START = Instant.parse("2026-11-25T06:00:00Z");
  static final int ULTRASERVERS = 96;
  static final Duration SIMULATED = Duration.ofMinutes(8);
  static final int SPEEDUP = 8;
  static final String GROUP = "fleetpulse-cluster-test";
  static final long WINDOW_MS = 60_000;

  final RunLog run = new RunLog("cluster-test");

  @Test
  void aKilledTaskManagerAndAKilledBrokerLoseAndDuplicateNothing() throws Exception {
    Path dir = Classpaths.workDir("failover");
    io.fleetpulse.platform.LocalMachine.deleteRecursively(dir);
    FleetModel model = new FleetModel(FleetConfigLoader.load(null,
        Map.of("fleet.chips", Integer.toString(ULTRASERVERS * 64))));
    long startTick = model.tickOf(START.toEpochMilli());
    ExpectedWindows expected = ExpectedWindows.of(model, startTick,
        startTick + SIMULATED.toMillis() / model.intervalMs(), WINDOW_MS);
    Path lake = dir.resolve("lake");

    try (ChildJvms jvms = new ChildJvms()) {
      KafkaCluster kafka = new KafkaCluster(dir.resolve("kafka"), 3, jvms).start();
      kafka.createTopic(Topics.TELEMETRY, 4);
      FlinkCluster flink = new FlinkCluster(dir.resolve("flink"), 1, Map.of(), jvms).start();
      for (String tm : List.of("tm-1", "tm-2", "tm-3")) flink.startTaskManager(tm);
      FlinkRest rest = flink.rest();
      run.log("Kafka at %s, Flink REST at %s", kafka.bootstrapServers(), rest.base());

      String jar = rest.uploadJar(Classpaths.jobJar());
      String job = rest.runJar(jar, List.of(
          "--bootstrap-servers", kafka.bootstrapServers(),
          "--data", lake.toUri().toString(),
          "--checkpoint-dir", dir.resolve("checkpoints").toUri().toString(),
          "--checkpoint-interval", "2s",
          "--parallelism", "2",
          "--group-id", GROUP,
          "--starting-offsets", "EARLIEST",
          "--raw-archive", "true",
          "--partitions", "4",
          "--replication", "3",
          // Two shards are paced independently from their own start: allow for their skew at this speedup.
          "--max-out-of-orderness", "2m"), 2);
      JobWatch watch = new JobWatch(rest, job);
      watch.awaitAllTasksRunning(Duration.ofMinutes(2));
      run.log("job %s running; starting two generator shards, %,d samples in all", job, expected.samples());

      List<ChildJvm> shards = List.of(
          GeneratorShard.start(0, 2, kafka.bootstrapServers(), generatorFlags(), dir, jvms),
          GeneratorShard.start(1, 2, kafka.bootstrapServers(), generatorFlags(), dir, jvms));

      try (Admin admin = kafka.admin()) {
        TopicProgress telemetry = new TopicProgress(admin, Topics.TELEMETRY);
        long total = expected.samples();

        Await.until("a checkpoint holding a quarter of the samples", Duration.ofMinutes(3),
            () -> watch.completedCheckpoints() > 0 && telemetry.committed(GROUP) >= total / 4);
        Set<String> busy = rest.taskManagersRunning(job);
        assertThat(busy).as("TaskManagers running the job").hasSize(2);
        String victim = busy.iterator().next();
        run.log("killing TaskManager %s at %,d of %,d samples committed", victim, telemetry.committed(GROUP), total);
        flink.killTaskManager(victim);

        watch.awaitRestoredAndCheckpointedAgain(Duration.ofMinutes(3));
        run.log("job restored from a checkpoint and checkpointed again");
        assertThat(rest.taskManagersRunning(job)).as("the job runs without the dead TaskManager")
            .doesNotContain(victim).hasSize(2);

        int broker = telemetry.coordinatorOf(GROUP);
        boolean producing = shards.stream().anyMatch(ChildJvm::isAlive);
        run.log("killing Kafka node %d (coordinator of %s) at %,d of %,d samples committed, generators %s", broker, GROUP,
            telemetry.committed(GROUP), total, producing ? "still producing" : "done");
        kafka.kill(broker);

        for (ChildJvm shard : shards) {
          assertThat(shard.awaitExit(Duration.ofMinutes(5))).as("%s exit code; log:%n%s", shard, shard.tail(20))
              .isZero();
        }
        // Every sample, and each shard's progress markers: one per partition at its start and after each tick.
        long markers = 2L * 4 * (SIMULATED.toMillis() / 10_000 + 1);
        assertThat(telemetry.end()).as("samples and progress markers in Kafka, both shards").isEqualTo(total + markers);
        run.log("generators done");
        Await.until("the job to checkpoint every sample", Duration.ofMinutes(3), () -> {
          watch.failIfTerminal();
          return telemetry.committed(GROUP) >= total + markers;
        });
        String savepoint = rest.stopWithSavepoint(job, dir.resolve("savepoints").toUri().toString(), true,
            Duration.ofMinutes(3));
        run.log("drained and stopped; savepoint %s", savepoint);
        Await.until("the job to finish", Duration.ofMinutes(1), () -> rest.jobState(job).equals("FINISHED"));
        run.log("job exceptions: %s", rest.exceptionMessages(job));
        assertThat(new TopicProgress(admin, Topics.DEAD_LETTER).end()).as("dead letters (late or invalid samples)")
            .isZero();
      }
    }

    ClusterLake parquet = new ClusterLake(lake);
    Map<ExpectedWindows.Key, ClusterLake.WindowRow> actual = new HashMap<>();
    for (ClusterLake.WindowRow row : parquet.ultraserverWindows()) {
      assertThat(actual.put(row.key(), row)).as("window %s written twice", row.key()).isNull();
    }
    assertThat(actual.keySet()).as("UltraServer windows").containsExactlyInAnyOrderElementsOf(
        expected.windows().keySet());
    expected.windows().forEach((key, e) -> {
      ClusterLake.WindowRow a = actual.get(key);
      assertThat(a.samples()).as("samples of %s", key).isEqualTo(e.samples());
      assertThat(a.chips()).as("chips of %s", key).isEqualTo(e.chips());
      assertThat(a.itEnergyKwh()).as("energy of %s", key).isCloseTo(e.itEnergyKwh(), offset(e.itEnergyKwh() * 1e-9));
      assertThat(a.deliveredPflop()).as("PFLOP of %s", key)
          .isCloseTo(e.deliveredPflop(), offset(e.deliveredPflop() * 1e-9 + 1e-12));
    });
    assertThat(parquet.rawArchiveCounts()).as("raw archive rows, distinct (chip, time)")
        .containsExactly(expected.samples(), expected.samples());
    assertThat(parquet.fleetWindowSamples()).as("samples in the fleet roll-up").isEqualTo(expected.samples());
  }

  static List<String> generatorFlags() {
    return List.of("--chips", Integer.toString(ULTRASERVERS * 64), "--start", START.toString(),
        "--duration", SIMULATED.toMinutes() + "m", "--speedup", Integer.toString(SPEEDUP),
        "--partitions", "4", "--replication", "3");
  }
}
