package io.fleetpulse.runner;

import io.fleetpulse.dashboard.DashboardServer;
import io.fleetpulse.dashboard.DashboardSettings;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.jobs.FleetMetricsJob;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.jobs.run.WindowProgress;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.query.QueryLimits;
import io.fleetpulse.query.QueryServer;
import io.fleetpulse.query.QueryServerProcess;
import io.fleetpulse.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The pipeline on this machine, over one data folder: a real Kafka broker (KRaft) with the topics, the metrics job on
 * Flink's MiniCluster with its web UI and the live dashboard, in this process, and the read-only SQL endpoint in a
 * process of its own.
 * The demo adds a generator to it; {@code bench latency} adds a generator and clients that time what they receive.
 * Closing it stops them in the reverse order (the job must have been stopped first).
 */
public final class LocalPipeline implements AutoCloseable {

  /** The job's shape in a local run: how often it checkpoints, its parallelism, whether it keeps the raw archive. */
  public record JobShape(Duration checkpointInterval, int parallelism, boolean rawArchive) {}

  /**
   * The job of a local run over the generator's run {@code plan}: on this folder, reading from the start, with the
   * fleet the generator models (every sample is checked against its layout) and the run's event time (no window
   * outside it, even when the job drains at its end).
   */
  public static JobConfig jobConfig(String bootstrap, Path root, FleetModel model, RunPlan plan,
      Map<String, String> fleetOverrides, Path fleetFile, JobShape shape) {
    FleetConfig config = model.config();
    JobConfig job = JobConfig.defaults()
        .set(JobOptions.BOOTSTRAP_SERVERS, bootstrap)
        .set(JobOptions.DATA, root.toString())
        .set(JobOptions.CHECKPOINT_INTERVAL, shape.checkpointInterval())
        .set(JobOptions.PARALLELISM, shape.parallelism())
        .set(JobOptions.STARTING_OFFSETS, JobOptions.StartingOffsets.EARLIEST)
        .set(JobOptions.CREATE_TOPICS, false)
        .set(JobOptions.RAW_ARCHIVE, shape.rawArchive())
        .set(JobOptions.CHIPS, config.fleet().chips())
        .set(JobOptions.INTERVAL, io.fleetpulse.model.Durations.format(config.fleet().interval()))
        .set(JobOptions.START, plan.alignedStart(model));
    fleetOverrides.forEach((k, v) -> {
      if (!k.equals("fleet.chips") && !k.equals("fleet.interval")) job.fleetOverride(k, v);
    });
    if (plan.duration() != null && plan.duration().toMillis() % job.get(JobOptions.WINDOW).toMillis() == 0) {
      job.set(JobOptions.DURATION, plan.duration());
    }
    if (fleetFile != null) job.set(JobOptions.CONFIG, fleetFile);
    return job.validate();
  }

  /** The ports asked for: each the next free one if taken (0: any; for {@code metrics}, -1: no metrics endpoint). */
  public record Ports(int kafka, int web, int dashboard, int sql, int metrics) {}

  /** How to build the pipeline: where, which ports, how many partitions, the fleet, and the job's settings. */
  public record Settings(Path data, Ports ports, int partitions, int parallelism, Duration telemetryRetention,
      FleetConfig fleet, Function<String, JobConfig> jobConfig) {}

  private final EmbeddedKafkaBroker kafka;
  private final JobConfig job;
  private final JobClient client;
  private final int webPort;
  private final int metricsPort;
  private final DashboardServer dashboard;
  private final QueryServerProcess sql;
  private final long startedNanos = System.nanoTime();

  private LocalPipeline(EmbeddedKafkaBroker kafka, JobConfig job, JobClient client, int webPort, int metricsPort,
      DashboardServer dashboard, QueryServerProcess sql) {
    this.kafka = kafka;
    this.job = job;
    this.client = client;
    this.webPort = webPort;
    this.metricsPort = metricsPort;
    this.dashboard = dashboard;
    this.sql = sql;
  }

  /** Starts everything; the job restores from its newest checkpoint under the folder (see FleetMetricsJob). */
  public static LocalPipeline start(Settings s, Consumer<String> log) throws Exception {
    EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(s.data().resolve("_kafka"))
        .port(LocalFlink.freePortOr(s.ports().kafka())).build().start();
    try {
      for (String topic : Topics.ALL) {
        kafka.createTopic(topic, s.partitions(), s.telemetryRetention() == null || !topic.equals(Topics.TELEMETRY)
            ? Map.of()
            : Map.of("retention.ms", Long.toString(s.telemetryRetention().toMillis()), "segment.ms", "60000"));
      }
      JobConfig job = s.jobConfig().apply(kafka.bootstrapServers());
      String restore = FleetMetricsJob.restorePoint(job);
      if (restore != null) log.accept("the job restores from " + restore);
      int webPort = LocalFlink.freePortOr(s.ports().web());
      int metricsPort = LocalFlink.metricsPort(s.ports().metrics(), "--metrics-port");
      StreamExecutionEnvironment env = LocalFlink.environment(webPort, s.parallelism(), metricsPort);
      FleetMetricsJob.configure(env, job);
      FleetMetricsJob.wire(env, job);
      JobClient client = env.executeAsync(FleetMetricsJob.NAME);
      DashboardServer dashboard = DashboardServer.start(DashboardSettings.defaults(kafka.bootstrapServers())
          .withListener(DashboardSettings.DEFAULT_BIND, LocalFlink.freePortOr(s.ports().dashboard()))
          .withFleet(s.fleet()));
      // The SQL endpoint in a JVM of its own, memory capped: no query can take the pipeline down with it.
      QueryServerProcess sql = QueryServerProcess.start(s.data(), QueryLimits.endpoint(),
          QueryServer.Settings.loopback(LocalFlink.freePortOr(s.ports().sql())), line -> {});
      return new LocalPipeline(kafka, job, client, webPort, metricsPort, dashboard, sql);
    } catch (Exception | Error e) {
      kafka.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public JobConfig job() {
    return job;
  }

  public JobClient client() {
    return client;
  }

  public int webPort() {
    return webPort;
  }

  /** The port of Flink's Prometheus reporter ({@code /metrics}), -1 when it is off. */
  public int metricsPort() {
    return metricsPort;
  }

  public String dashboardUrl() {
    return dashboard.url().toString();
  }

  public String sqlUrl() {
    return sql.url();
  }

  /** Waits until every window ending by {@code lastWindowEnd} is emitted (none to wait for by {@code resumedAtMs}). */
  public void awaitWindows(long lastWindowEnd, long resumedAtMs, Consumer<String> log) throws Exception {
    if (lastWindowEnd <= resumedAtMs) return;
    log.accept("waiting for the job to close the windows up to " + java.time.Instant.ofEpochMilli(lastWindowEnd));
    WindowProgress.awaitComplete(client, lastWindowEnd, Duration.ofMinutes(30), log);
  }

  /**
   * Stops the job with a savepoint, which commits what it wrote: draining ({@code drain}: a run that ended, whose last
   * window may be partial) or not (a run stopped on a window boundary, to be carried on). Returns the savepoint.
   */
  public String stop(boolean drain) throws Exception {
    return client.stopWithSavepoint(drain, job.checkpointUri() + "/savepoints", SavepointFormatType.CANONICAL)
        .get(10, TimeUnit.MINUTES);
  }

  /** Seconds since the pipeline started. */
  public double seconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  @Override
  public void close() {
    try (EmbeddedKafkaBroker k = kafka; DashboardServer d = dashboard; QueryServerProcess q = sql) {
      // closed in reverse order of opening: the SQL endpoint, the dashboard, the broker
    }
  }
}
