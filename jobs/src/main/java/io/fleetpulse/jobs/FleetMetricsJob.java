package io.fleetpulse.jobs;

import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.cli.CliErrors;
import io.fleetpulse.schema.Topics;
import io.fleetpulse.schema.WindowMetrics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;

/**
 * Entry point of the metrics job on any Flink 2.2 cluster ({@code flink run fleetpulse-jobs.jar --help}) and the
 * one place that wires real Kafka and Parquet into {@link MetricsPipeline}. {@code fleetpulse job} and the local
 * runner call the same {@link #configure} and {@link #wire}, on a local MiniCluster.
 */
public final class FleetMetricsJob {

  public static final String NAME = "fleetpulse-metrics";

  private FleetMetricsJob() {}

  public static void main(String[] args) {
    System.exit(CliErrors.install(new CommandLine(JobCli.spec("fleetpulse-job", new ClusterCommand()))).execute(args));
  }

  /** Runs on whatever environment Flink gives the main method: the cluster's under flink run. */
  static final class ClusterCommand extends JobCli.Command {
    @Override
    public Integer call() throws Exception {
      run(StreamExecutionEnvironment.getExecutionEnvironment(), config());
      return 0;
    }
  }

  /** Configures, wires and runs the job; with --duration, stops it once that much event time is committed. */
  public static void run(StreamExecutionEnvironment env, JobConfig cfg) throws Exception {
    configure(env, cfg);
    if (cfg.get(JobOptions.CREATE_TOPICS)) ensureTopics(cfg);
    wire(env, cfg);
    if (cfg.isSet(JobOptions.DURATION)) {
      JobClient client = env.executeAsync(NAME);
      new DurationStop(client, cfg, System.err::println).awaitAndStop();
    } else {
      env.execute(NAME);
    }
  }

  /** Checkpointing (exactly-once, retained on cancel), state and checkpoint location, parallelism. */
  public static void configure(StreamExecutionEnvironment env, JobConfig cfg) {
    Configuration c = new Configuration();
    c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.get(JobOptions.CHECKPOINT_INTERVAL));
    c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.checkpointUri());
    c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, cfg.checkpointUri() + "/savepoints");
    c.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    c.set(PipelineOptions.MAX_PARALLELISM, cfg.get(JobOptions.MAX_PARALLELISM));
    env.configure(c, FleetMetricsJob.class.getClassLoader());
    if (cfg.get(JobOptions.PARALLELISM) > 0) env.setParallelism(cfg.get(JobOptions.PARALLELISM));
  }

  /** Creates the job's topics if missing (idempotent). */
  public static void ensureTopics(JobConfig cfg) {
    Map<String, Object> admin = new HashMap<>(cfg.kafkaProperties());
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.get(JobOptions.BOOTSTRAP_SERVERS));
    Map<String, Integer> topics = new LinkedHashMap<>();
    int partitions = cfg.get(JobOptions.TOPIC_PARTITIONS);
    topics.put(cfg.get(JobOptions.TELEMETRY_TOPIC), partitions);
    topics.put(cfg.get(JobOptions.DEAD_LETTER_TOPIC), partitions);
    topics.put(cfg.get(JobOptions.METRICS_TOPIC), partitions);
    Topics.ensure(admin, topics, cfg.get(JobOptions.TOPIC_REPLICATION).shortValue(), Map.of());
  }

  /** Real Kafka in, real Parquet and Kafka out. */
  public static MetricsPipeline wire(StreamExecutionEnvironment env, JobConfig cfg) {
    FleetConfig fleet = cfg.fleetConfig();
    MetricFactors factors = MetricFactors.from(fleet);
    TelemetryDecoder decoder = new TelemetryDecoder(factors, cfg.get(JobOptions.MAX_EVENT_TIME_AHEAD));
    MetricsPipeline.Sinks sinks = new MetricsPipeline.Sinks(
        cfg.get(JobOptions.PARQUET)
            ? ParquetSinks.table(cfg.dataUri(), "ultraserver_window", WindowMetrics.class,
                m -> m.getWindowStart().toEpochMilli())
            : null,
        cfg.get(JobOptions.KAFKA_METRICS)
            ? KafkaConnectors.metricsSink(cfg, cfg.get(JobOptions.METRICS_TOPIC),
                m -> String.valueOf(m.getUltraserverId()))
            : null,
        KafkaConnectors.deadLetterSink(cfg));
    MetricsPipeline pipeline = new MetricsPipeline(KafkaConnectors.telemetrySource(cfg, decoder), sinks,
        MetricsPipeline.Settings.from(cfg, factors));
    pipeline.build(env);
    return pipeline;
  }

  static String describe(JobConfig cfg) {
    return "window " + Durations.format(cfg.get(JobOptions.WINDOW)) + ", checkpoints every "
        + Durations.format(cfg.get(JobOptions.CHECKPOINT_INTERVAL)) + " to " + cfg.checkpointUri();
  }
}
