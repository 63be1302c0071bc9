package io.fleetpulse.query;

import io.fleetpulse.generator.GeneratorStats;
import io.fleetpulse.generator.KafkaGeneration;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.jobs.FleetMetricsJob;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.schema.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A lake made by the real pipeline, once per test JVM and shared by the test classes that need one: the generator
 * writes a small mixed-generation fleet (16 UltraServers of trn1, trn2 and trn3 over three sites, a sample per
 * chip per minute, ten times the default share of stragglers) for a whole UTC day into an in-process Kafka broker; the metrics job reads it on the calling
 * class's MiniCluster and writes ultraserver_window Parquet. About 1.5M samples, 23k windows.
 */
final class PipelineLake {

  static final Instant START = Instant.parse("2026-11-25T00:00:00Z");
  static final Duration DURATION = Duration.ofDays(1);
  static final String FLEET_YAML = """
      fleet:
        chips: 1024
        interval: 1m
        generation_mix: {trn1: 0.25, trn2: 0.5, trn3: 0.25}
      faults:
        straggler_share: 0.02
      """;

  private static PipelineLake instance;

  final Path root;
  final Path data;
  final FleetModel model;
  final GeneratorStats produced;

  private PipelineLake(Path root, FleetModel model, GeneratorStats produced) {
    this.root = root;
    this.data = root.resolve("data");
    this.model = model;
    this.produced = produced;
  }

  /** Builds the lake on first use; the caller must have a MiniClusterExtension registered. */
  static synchronized PipelineLake get() throws Exception {
    if (instance == null) instance = build();
    return instance;
  }

  private static PipelineLake build() throws Exception {
    Path root = Files.createTempDirectory("fleetpulse-query-lake");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
    Path fleetFile = root.resolve("fleet.yaml");
    Files.writeString(fleetFile, FLEET_YAML);
    FleetModel model = new FleetModel(FleetConfigLoader.load(fleetFile, Map.of()));
    GeneratorStats produced;
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(root.resolve("kafka")).build().start()) {
      kafka.createTopic(Topics.TELEMETRY, 2, Map.of());
      kafka.createTopic(Topics.GRID_INTENSITY, 1, Map.of());
      produced = KafkaGeneration.run(kafka.bootstrapServers(), Map.of(), Topics.TELEMETRY, Topics.GRID_INTENSITY,
          model, new RunPlan(Shard.WHOLE, START, DURATION, Speedup.MAX), "query-test");
      JobConfig cfg = JobConfig.defaults()
          .set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
          .set(JobOptions.DATA, root.resolve("data").toString())
          .set(JobOptions.CONFIG, fleetFile)
          .set(JobOptions.BOUNDED, true)
          .set(JobOptions.STARTING_OFFSETS, JobOptions.StartingOffsets.EARLIEST)
          .set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2))
          .set(JobOptions.PARALLELISM, 2)
          .set(JobOptions.PARTITIONS, 2)
          .set(JobOptions.KAFKA_METRICS, false)
          // Bounded: the end of input releases every window, so no window falls back for want of time.
          .set(JobOptions.GRID_INTENSITY_WAIT, Duration.ofHours(1))
          .validate();
      FleetMetricsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), cfg);
    }
    return new PipelineLake(root, model, produced);
  }

  /** The MiniCluster every pipeline-lake IT registers: the lake's job runs on it (one task manager, two slots). */
  static org.apache.flink.test.junit5.MiniClusterExtension miniCluster() {
    return new org.apache.flink.test.junit5.MiniClusterExtension(
        new org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2).build());
  }

  private SampleOracle oracle;

  /** The generator's samples over the lake's whole period in one-minute windows: the ITs' oracle, built once. */
  synchronized SampleOracle oracle() {
    if (oracle == null) {
      oracle = new SampleOracle(model, model.tickOf(START.toEpochMilli()),
          model.tickOf(START.plus(DURATION).toEpochMilli()), 60_000);
    }
    return oracle;
  }

  static void deleteQuietly(Path root) {
    io.fleetpulse.platform.LocalMachine.deleteQuietly(root); // a temp folder; the OS cleans what is left
  }
}
