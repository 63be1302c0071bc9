package io.fleetpulse.jobs;

import io.fleetpulse.platform.TopicAdmin;
import io.fleetpulse.jobs.config.JobCli;
import io.fleetpulse.jobs.carbon.GridIntensityDecoder;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.run.DurationStop;
import io.fleetpulse.jobs.run.RetainedCheckpoints;
import io.fleetpulse.jobs.sink.KafkaConnectors;
import io.fleetpulse.jobs.sink.ParquetSinks;
import io.fleetpulse.jobs.source.FleetTopology;
import io.fleetpulse.jobs.source.KafkaLookAhead;
import io.fleetpulse.jobs.source.TelemetryDecoder;
import io.fleetpulse.jobs.source.TelemetryReader;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.cli.CliErrors;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.WindowMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
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

  /**
   * Under Flink's REST API (the web UI's submit, /jars/:id/run) and application mode, main runs inside the
   * JobManager, where System.exit would take the whole cluster down once the job is submitted. So main returns, and
   * a bad command line (or a failed attached run) becomes an exception carrying the message, which Flink hands back
   * to whoever submitted: flink run prints it and exits non-zero, the REST API answers 400 with it.
   */
  public static void main(String[] args) {
    StringWriter errors = new StringWriter();
    CommandLine cl = CliErrors.install(new CommandLine(JobCli.spec("fleetpulse-job", new ClusterCommand(), java.util.List.of())));
    cl.setErr(new PrintWriter(errors, true));
    int code = cl.execute(args);
    System.err.print(errors);
    if (code == CliErrors.USAGE) throw new IllegalArgumentException(errors.toString().strip());
    if (code != 0) throw new IllegalStateException("fleetpulse-job failed (exit code " + code + "): " + errors);
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

  /**
   * Where the job's state comes from: --restore-from, else the newest retained checkpoint or savepoint under
   * --checkpoint-dir (a crashed or stopped job carries on), else nothing (--fresh, or a first start).
   */
  public static String restorePoint(JobConfig cfg) {
    if (cfg.get(JobOptions.FRESH)) return null;
    return cfg.isSet(JobOptions.RESTORE_FROM) ? cfg.get(JobOptions.RESTORE_FROM)
        : RetainedCheckpoints.newest(cfg.checkpointUri());
  }

  /**
   * Checkpointing (exactly-once, retained on cancel), state and checkpoint location, parallelism, and what to restore
   * from ({@link #restorePoint}) unless the environment was given one already (flink run -s).
   */
  public static void configure(StreamExecutionEnvironment env, JobConfig cfg) {
    Configuration c = new Configuration();
    if (env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isEmpty()) {
      String restore = restorePoint(cfg);
      if (restore != null) c.set(StateRecoveryOptions.SAVEPOINT_PATH, restore);
    }
    c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.get(JobOptions.CHECKPOINT_INTERVAL));
    c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.checkpointUri());
    c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, cfg.checkpointUri() + "/savepoints");
    c.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    c.set(PipelineOptions.MAX_PARALLELISM, cfg.get(JobOptions.MAX_PARALLELISM));
    // Chained operators hand records on without copying them: none of ours keeps or changes a record it was given
    // or has emitted (keyed state holds accumulators built from readings, never the readings themselves).
    c.set(PipelineOptions.OBJECT_REUSE, true);
    env.configure(c, FleetMetricsJob.class.getClassLoader());
    if (cfg.get(JobOptions.PARALLELISM) > 0) env.setParallelism(cfg.get(JobOptions.PARALLELISM));
  }

  /** Creates the job's topics if missing (idempotent). */
  public static void ensureTopics(JobConfig cfg) {
    Map<String, Object> admin = new HashMap<>(cfg.kafkaProperties());
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.get(JobOptions.BOOTSTRAP_SERVERS));
    Map<String, Integer> topics = new LinkedHashMap<>();
    int partitions = cfg.get(JobOptions.PARTITIONS);
    for (var topic : List.of(JobOptions.TELEMETRY_TOPIC, JobOptions.DEAD_LETTER_TOPIC, JobOptions.ULTRASERVER_TOPIC,
        JobOptions.SITE_TOPIC, JobOptions.FLEET_TOPIC, JobOptions.WORKLOAD_TOPIC, JobOptions.TENANT_TOPIC,
        JobOptions.ALERTS_TOPIC)) {
      topics.put(cfg.get(topic), partitions);
    }
    if (!cfg.get(JobOptions.GRID_INTENSITY_TOPIC).isEmpty()) topics.put(cfg.get(JobOptions.GRID_INTENSITY_TOPIC), 1);
    TopicAdmin.ensure(admin, topics, cfg.get(JobOptions.REPLICATION).shortValue(), Map.of());
  }

  /** Real Kafka in, real Parquet and Kafka out. */
  public static MetricsPipeline wire(StreamExecutionEnvironment env, JobConfig cfg) {
    FleetConfig fleet = cfg.fleetConfig();
    MetricFactors factors = MetricFactors.from(fleet);
    MetricsPipeline pipeline = new MetricsPipeline(KafkaConnectors.telemetrySource(cfg, reader(cfg, fleet, factors)),
        sinks(cfg), MetricsPipeline.Settings.from(cfg, factors));
    if (!cfg.get(JobOptions.GRID_INTENSITY_TOPIC).isEmpty()) {
      pipeline.withGridIntensity(KafkaConnectors.gridIntensitySource(cfg, new GridIntensityDecoder(factors.siteIds())),
          cfg.get(JobOptions.GRID_INTENSITY_WAIT));
    }
    pipeline.build(env);
    return pipeline;
  }

  /**
   * How the source reads the telemetry topic: decoded and checked against the fleet layout (unless
   * --check-topology false), judged per partition for broken clocks, each partition's clock seeded by reading ahead.
   */
  public static TelemetryReader reader(JobConfig cfg, FleetConfig fleet, MetricFactors factors) {
    TelemetryDecoder decoder = decoder(cfg, fleet, factors);
    return new TelemetryReader(decoder, cfg.get(JobOptions.MAX_EVENT_TIME_SKEW),
        cfg.get(JobOptions.MAX_OUT_OF_ORDERNESS), cfg.get(JobOptions.IDLE_TIMEOUT),
        new KafkaLookAhead(cfg.get(JobOptions.BOOTSTRAP_SERVERS), cfg.kafkaProperties(), decoder));
  }

  public static TelemetryDecoder decoder(JobConfig cfg, FleetConfig fleet, MetricFactors factors) {
    FleetTopology topology = cfg.checksTopology() ? new FleetTopology(fleet) : null;
    return new TelemetryDecoder(factors, topology, cfg.get(JobOptions.WINDOW).toMillis());
  }

  public static MetricsPipeline.Sinks sinks(JobConfig cfg) {
    MetricsPipeline.Sinks sinks = MetricsPipeline.Sinks.none().deadLetters(KafkaConnectors.deadLetterSink(cfg));
    String root = cfg.dataUri();
    if (cfg.get(JobOptions.PARQUET)) {
      // Every level's minute windows and hours; the days of every level above the UltraServer (Tables.DAILY).
      for (AggregationLevel level : AggregationLevel.values()) {
        sinks = sinks
            .windowTable(level, ParquetSinks.table(root, Tables.of(level, "window"), WindowMetrics.class,
                m -> m.getWindowStart().toEpochMilli()))
            .hourTable(level, ParquetSinks.table(root, Tables.of(level, "hour"), WindowMetrics.class,
                m -> m.getWindowStart().toEpochMilli()));
        if (level == AggregationLevel.ULTRASERVER) continue;
        sinks = sinks.dayTable(level, ParquetSinks.dailyTable(root, Tables.of(level, "day"), WindowMetrics.class,
            m -> m.getWindowStart().toEpochMilli()));
      }
      sinks = sinks.alerts(ParquetSinks.table(root, Tables.ALERTS, Alert.class, a -> a.getUpdatedTime().toEpochMilli()),
          null);
      if (cfg.get(JobOptions.RAW_ARCHIVE)) sinks = sinks.rawArchive(ParquetSinks.rawArchive(root));
    }
    if (cfg.get(JobOptions.KAFKA_METRICS)) {
      sinks = sinks
          .windowTopic(AggregationLevel.ULTRASERVER, KafkaConnectors.avroSink(cfg, "ultraserver",
              cfg.get(JobOptions.ULTRASERVER_TOPIC), AvroCodec.WINDOW_METRICS, m -> String.valueOf(m.getUltraserverId())))
          .windowTopic(AggregationLevel.SITE, KafkaConnectors.avroSink(cfg, "site", cfg.get(JobOptions.SITE_TOPIC),
              AvroCodec.WINDOW_METRICS, WindowMetrics::getSite))
          .windowTopic(AggregationLevel.GENERATION, KafkaConnectors.avroSink(cfg, "generation",
              cfg.get(JobOptions.FLEET_TOPIC), AvroCodec.WINDOW_METRICS, WindowMetrics::getGeneration))
          .windowTopic(AggregationLevel.FLEET, KafkaConnectors.avroSink(cfg, "fleet", cfg.get(JobOptions.FLEET_TOPIC),
              AvroCodec.WINDOW_METRICS, m -> "fleet"))
          .windowTopic(AggregationLevel.WORKLOAD, KafkaConnectors.avroSink(cfg, "workload",
              cfg.get(JobOptions.WORKLOAD_TOPIC), AvroCodec.WINDOW_METRICS, WindowMetrics::getWorkload))
          .windowTopic(AggregationLevel.TENANT, KafkaConnectors.avroSink(cfg, "tenant",
              cfg.get(JobOptions.TENANT_TOPIC), AvroCodec.WINDOW_METRICS, WindowMetrics::getTenant));
      sinks = sinks.alerts(sinks.alertTable(), KafkaConnectors.avroSink(cfg, "alerts",
          cfg.get(JobOptions.ALERTS_TOPIC), AvroCodec.ALERT, Alert::getAlertId));
    }
    return sinks;
  }

  static String describe(JobConfig cfg) {
    return "window " + Durations.format(cfg.get(JobOptions.WINDOW)) + ", checkpoints every "
        + Durations.format(cfg.get(JobOptions.CHECKPOINT_INTERVAL)) + " to " + cfg.checkpointUri();
  }
}
