package io.fleetpulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.generator.GeneratorStats;
import io.fleetpulse.generator.KafkaGeneration;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.run.ConsumerCatchUp;
import io.fleetpulse.jobs.sink.KafkaConnectors;
import io.fleetpulse.jobs.source.TelemetryDecoder;
import io.fleetpulse.jobs.source.TelemetryDeserializer;
import io.fleetpulse.jobs.source.TelemetryReader;
import io.fleetpulse.jobs.source.TelemetryRecord;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.schema.Topics;
import io.fleetpulse.testing.LakeEquality;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under failure: the same telemetry is processed three times, into three lakes. (a) without failure;
 * (b) with a task failure injected mid-run, recovered from the last checkpoint; (c) stopped with a savepoint
 * halfway and restored from it. Every table of (b) and (c) must equal (a): no window or alert missing, none twice,
 * every value the same.
 */
@Timeout(600)
class ExactlyOnceIT {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final Instant START = Instant.parse("2026-11-25T16:00:00Z");

  @TempDir static Path dir;
  static EmbeddedKafkaBroker kafka;
  static GeneratorStats produced;

  @BeforeAll
  static void produceOnceRunThrice() throws Exception {
    kafka = EmbeddedKafkaBroker.builder().logDir(dir.resolve("kafka")).build().start();
    kafka.createTopic(Topics.TELEMETRY, 4, Map.of());
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "16384",
        "faults.straggler_share", "0.02", "faults.ecc_burst_per_chip_day", "1")));
    produced = KafkaGeneration.run(kafka.bootstrapServers(), Map.of(), Topics.TELEMETRY, model,
        new RunPlan(Shard.WHOLE, START, Duration.ofMinutes(6), Speedup.MAX), "exactly-once");
    runBounded("a", new TelemetryDeserializer(reader()));
    FailOnce.reset(produced.samples() / 2);
    runBounded("b", new FailOnce(reader()));
    assertThat(FailOnce.failed.get()).as("the injected failure happened").isTrue();
    runStoppedAndRestored("c");
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) kafka.close();
  }

  static TelemetryReader reader() {
    return new TelemetryReader(new TelemetryDecoder(MetricFactors.from(FleetConfigLoader.defaults()), null, 60_000),
        Duration.ofMinutes(5), Duration.ofSeconds(15), Duration.ofMinutes(1), null);
  }

  static JobConfig config(String run, boolean bounded) {
    return JobConfig.defaults()
        .set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
        .set(JobOptions.DATA, dir.resolve(run).toString())
        .set(JobOptions.GROUP_ID, "run-" + run)
        .set(JobOptions.BOUNDED, bounded)
        .set(JobOptions.STARTING_OFFSETS, JobOptions.StartingOffsets.EARLIEST)
        .set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300))
        .set(JobOptions.PARALLELISM, 2)
        .set(JobOptions.KAFKA_METRICS, false)
        .set(JobOptions.RAW_ARCHIVE, true)
        .validate();
  }

  static StreamExecutionEnvironment pipeline(JobConfig cfg, Configuration extra,
      KafkaRecordDeserializationSchema<TelemetryRecord> deserializer) {
    Configuration c = new Configuration(extra);
    c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
    FleetMetricsJob.configure(env, cfg);
    MetricFactors factors = MetricFactors.from(cfg.fleetConfig());
    new MetricsPipeline(KafkaConnectors.telemetrySource(cfg, deserializer), FleetMetricsJob.sinks(cfg),
        MetricsPipeline.Settings.from(cfg, factors)).build(env);
    return env;
  }

  static void runBounded(String run, KafkaRecordDeserializationSchema<TelemetryRecord> deserializer) throws Exception {
    pipeline(config(run, true), new Configuration(), deserializer).execute("exactly-once-" + run);
  }

  static void runStoppedAndRestored(String run) throws Exception {
    JobConfig cfg = config(run, false);
    JobClient first = pipeline(cfg, new Configuration(), new TelemetryDeserializer(reader())).executeAsync();
    long[] atStop = ConsumerCatchUp.await(kafka.bootstrapServers(), "run-" + run, Topics.TELEMETRY, 0.25,
        Duration.ofMinutes(5), () -> true, s -> {});
    String savepoint = first.stopWithSavepoint(false, cfg.checkpointUri() + "/savepoints",
        SavepointFormatType.CANONICAL).get(5, TimeUnit.MINUTES);
    assertThat(atStop[0]).as("stopped part-way").isLessThan(atStop[1]);

    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    JobClient second = pipeline(cfg, restore, new TelemetryDeserializer(reader())).executeAsync();
    ConsumerCatchUp.await(kafka.bootstrapServers(), "run-" + run, Topics.TELEMETRY, Duration.ofMinutes(5),
        () -> true, s -> {});
    second.stopWithSavepoint(true, cfg.checkpointUri() + "/savepoints", SavepointFormatType.CANONICAL)
        .get(5, TimeUnit.MINUTES);
  }

  /** Decodes like the job, but fails the task once, after a given number of records. */
  static final class FailOnce implements KafkaRecordDeserializationSchema<TelemetryRecord> {
    static final AtomicLong seen = new AtomicLong();
    static final AtomicBoolean failed = new AtomicBoolean();
    static volatile long failAfter;
    private final TelemetryDeserializer delegate;

    FailOnce(TelemetryReader reader) {
      delegate = new TelemetryDeserializer(reader);
    }

    static void reset(long after) {
      seen.set(0);
      failed.set(false);
      failAfter = after;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryRecord> out)
        throws IOException {
      if (seen.incrementAndGet() >= failAfter && failed.compareAndSet(false, true)) {
        throw new IOException("injected task failure after " + failAfter + " records");
      }
      delegate.deserialize(record, out);
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
      return delegate.getProducedType();
    }
  }

  void assertLakesEqual(String run) throws Exception {
    LakeEquality.assertEqual(dir.resolve("a"), dir.resolve(run));
  }

  @Test
  void aTaskFailureMidRunChangesNothingInTheOutput() throws Exception {
    assertLakesEqual("b");
  }

  @Test
  void stopWithSavepointAndRestoreChangesNothingInTheOutput() throws Exception {
    assertLakesEqual("c");
  }
}
