package io.fleetpulse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.schema.Topics;
import io.fleetpulse.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throughput of the job jar per TaskManager slot on the same multi-process cluster as {@link ClusterFailoverIT}.
 * Not part of {@code ./mvnw verify} (the name does not end in Test); run it with
 * {@code ./mvnw -B -ntp -pl cluster-test -am verify -Dtest=ClusterThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read the figures in cluster-test/target/surefire-reports/io.fleetpulse.cluster.ClusterThroughputBenchmark-output.txt.
 *
 * <p>Method: two generator shards pre-load the samples into the 3-node Kafka cluster (replication 3); then the job
 * runs bounded (--bounded: it reads up to the end offsets and finishes) with checkpointing on, once per
 * parallelism, each run with its own consumer group and output. Samples divided by the job's RUNNING-to-FINISHED
 * time from the REST API gives samples/s; divided again by the parallelism, per slot. The TaskManager's CPU time over
 * the run gives samples per CPU-second (per core). Each run must write every sample into ultraserver_window.
 */
@Timeout(1800)
class ClusterThroughputBenchmark {

  static final int ULTRASERVERS = Integer.getInteger("bench.ultraservers", 512);
  static final int MINUTES = Integer.getInteger("bench.minutes", 10);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  static final List<Integer> PARALLELISMS = List.of(1, 2);

  final RunLog run = new RunLog("cluster-bench");

  record Result(int parallelism, int round, long samples, double seconds, double tmCpuSeconds) {
    double perSecond() {
      return samples / seconds;
    }

    double perSlot() {
      return perSecond() / parallelism;
    }

    double perCpuSecond() {
      return samples / tmCpuSeconds;
    }
  }

  @Test
  void samplesPerSecondPerTaskManagerSlot() throws Exception {
    Path dir = Classpaths.workDir("throughput");
    io.fleetpulse.platform.LocalMachine.deleteRecursively(dir);
    List<Result> results = new ArrayList<>();
    try (ChildJvms jvms = new ChildJvms()) {
      KafkaCluster kafka = new KafkaCluster(dir.resolve("kafka"), 3, jvms).start();
      kafka.createTopic(Topics.TELEMETRY, 8);
      long samples = preload(kafka, dir, jvms);
      FlinkCluster flink = new FlinkCluster(dir.resolve("flink"), 2, Map.of(), jvms).start();
      ChildJvm tm = flink.startTaskManager("tm-1");
      String jar = flink.rest().uploadJar(Classpaths.jobJar());
      for (int round = 1; round <= ROUNDS; round++) {
        for (int p : PARALLELISMS) {
          Result r = runBounded(flink.rest(), jar, kafka, dir.resolve("run-" + p + "-" + round), p, round, tm);
          assertThat(r.samples()).as("samples the job read").isEqualTo(samples);
          run.log("parallelism %d, round %d: %,d samples in %.1f s = %,.0f samples/s, %,.0f per slot, "
              + "%,.0f per TaskManager CPU-second", p, round, r.samples(), r.seconds(), r.perSecond(), r.perSlot(),
              r.perCpuSecond());
          results.add(r);
        }
      }
    }
    run.log("cores: %d; %,d UltraServers (keys), %d min of samples every 10 s", Runtime.getRuntime()
        .availableProcessors(), ULTRASERVERS, MINUTES);
    for (int p : PARALLELISMS) {
      Result best = results.stream().filter(r -> r.parallelism() == p)
          .max(java.util.Comparator.comparingDouble(Result::perSecond)).orElseThrow();
      run.log("best at parallelism %d: %,.0f samples/s, %,.0f per slot, %,.0f per TaskManager CPU-second", p,
          best.perSecond(), best.perSlot(), best.perCpuSecond());
    }
  }

  private long preload(KafkaCluster kafka, Path dir, ChildJvms jvms) throws Exception {
    List<String> flags = List.of("--chips", Integer.toString(ULTRASERVERS * 64), "--start", "2026-11-25T06:00:00Z",
        "--duration", MINUTES + "m", "--speedup", "max", "--partitions", "8", "--replication", "3");
    long t0 = System.nanoTime();
    List<ChildJvm> shards = List.of(GeneratorShard.start(0, 2, kafka.bootstrapServers(), flags, dir, jvms),
        GeneratorShard.start(1, 2, kafka.bootstrapServers(), flags, dir, jvms));
    for (ChildJvm shard : shards) assertThat(shard.awaitExit(Duration.ofMinutes(10))).as("%s", shard).isZero();
    try (Admin admin = kafka.admin()) {
      long samples = new TopicProgress(admin, Topics.TELEMETRY).end();
      run.log("pre-loaded %,d samples in %.1f s (two generator processes, acks=all, replication 3)", samples,
          (System.nanoTime() - t0) / 1e9);
      return samples;
    }
  }

  private Result runBounded(FlinkRest rest, String jar, KafkaCluster kafka, Path out, int parallelism, int round,
      ChildJvm tm) throws Exception {
    Duration cpuBefore = cpu(tm);
    String job = rest.runJar(jar, List.of(
        "--bootstrap-servers", kafka.bootstrapServers(),
        "--data", out.resolve("lake").toUri().toString(),
        "--checkpoint-dir", out.resolve("checkpoints").toUri().toString(),
        "--checkpoint-interval", "5s",
        "--parallelism", Integer.toString(parallelism),
        "--group-id", "bench-" + parallelism + "-" + round,
        "--starting-offsets", "EARLIEST",
        "--bounded", "true",
        // Shards pre-loaded at full speed drift minutes apart in event time inside each partition: a backfill
        // needs a bound that covers the drift, or the slower shard's samples are late (dead letters).
        "--max-out-of-orderness", MINUTES + "m",
        "--replication", "3"), parallelism);
    Await.until("bounded job " + job + " to finish", Duration.ofMinutes(15), () -> {
      String state = rest.jobState(job);
      if (state.equals("FAILED") || state.equals("CANCELED")) {
        throw new IllegalStateException("job " + state + ": " + rest.exceptionMessages(job));
      }
      return state.equals("FINISHED");
    });
    double tmCpu = (cpu(tm).minus(cpuBefore)).toMillis() / 1000.0;
    JsonNode timestamps = rest.job(job).path("timestamps");
    double seconds = (timestamps.path("FINISHED").asLong() - timestamps.path("RUNNING").asLong()) / 1000.0;
    long samples = new ClusterLake(out.resolve("lake")).ultraserverWindowSamples();
    return new Result(parallelism, round, samples, seconds, tmCpu);
  }

  private static Duration cpu(ChildJvm jvm) {
    return ProcessHandle.of(jvm.pid()).flatMap(h -> h.info().totalCpuDuration())
        .orElseThrow(() -> new IllegalStateException("no CPU time for " + jvm));
  }
}
