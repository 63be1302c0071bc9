package io.fleetpulse.runner;

import io.fleetpulse.dashboard.DashboardServer;
import io.fleetpulse.dashboard.DashboardSettings;
import io.fleetpulse.generator.FleetGenerator;
import io.fleetpulse.generator.GeneratorStats;
import io.fleetpulse.generator.KafkaSampleSink;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.jobs.FleetMetricsJob;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.jobs.run.ConsumerCatchUp;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.cli.Converters;
import io.fleetpulse.model.cli.FleetOptions;
import io.fleetpulse.model.cli.GracefulStop;
import io.fleetpulse.model.cli.PeakMemory;
import io.fleetpulse.model.cli.RunOptions;
import io.fleetpulse.model.cli.Shard;
import io.fleetpulse.query.QueryLimits;
import io.fleetpulse.query.QueryServer;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleetpulse demo}: the whole pipeline in this process. A real Kafka broker (KRaft, in-process), the
 * metrics job on Flink's MiniCluster, and the generator; Parquet under --data. Ends on --duration or Ctrl-C
 * the same way: the generator stops at a tick boundary, the job reads and checkpoints everything produced, then
 * stops with a draining savepoint, which emits and commits every open window.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the whole pipeline locally: an in-process Kafka broker (KRaft), the generator, and the metrics job on "
          + "a Flink MiniCluster with its web UI; Parquet tables under --data. Prints where everything is, a "
          + "progress line every 5 s, and a summary (samples/s, rows written, peak memory) at the end.",
      "Stops after --duration of simulated time, or on Ctrl-C; either way every window of the samples produced is "
          + "committed before it exits. The data folder is cleared at start (only one made by the demo)."
    })
final class DemoCommand implements Callable<Integer> {

  static final int DEMO_CHIPS = 65_536;

  @Mixin FleetOptions fleet;
  @Mixin RunOptions run;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data",
      description = "Data folder: Parquet tables at its top, the broker's log and checkpoints in _kafka/ and "
          + "_checkpoints/. Cleared at start. Default: ${DEFAULT-VALUE}.")
  Path data;

  @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
      description = "Port of the in-process Kafka broker on 127.0.0.1 (the next free one if taken). Default: ${DEFAULT-VALUE}.")
  int kafkaPort;

  @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "8081",
      description = "Port of the Flink web UI on 127.0.0.1 (the next free one if taken). Default: ${DEFAULT-VALUE}.")
  int webPort;

  @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "8088",
      description = "Port of the live dashboard on 127.0.0.1 (the next free one if taken). Default: ${DEFAULT-VALUE}.")
  int dashboardPort;

  @Option(names = "--sql-port", paramLabel = "PORT", defaultValue = "8090",
      description = "Port of the read-only SQL endpoint over the tables on 127.0.0.1 (the next free one if taken), "
          + "what the notebooks read. Default: ${DEFAULT-VALUE}.")
  int sqlPort;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
      description = "Partitions of each topic. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
      description = "Parallelism of the job (and task slots of the MiniCluster). Default: ${DEFAULT-VALUE}.")
  int parallelism;

  @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "5s",
      converter = Converters.DurationConverter.class,
      description = "How often the job checkpoints, which is how often Parquet files appear. Default: ${DEFAULT-VALUE}.")
  Duration checkpointInterval;

  @Option(names = "--kafka-retention", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "Delete telemetry from the broker's disk this long (wall clock) after it was written. For long "
          + "runs of large fleets that would not fit on disk; it must stay well above the job's lag behind the "
          + "generator (each progress line shows it), or samples are lost before the job reads them. "
          + "Default: keep everything.")
  Duration kafkaRetention;

  @Option(names = "--raw-archive", paramLabel = "true|false", defaultValue = "true", arity = "1",
      description = "Also keep every sample in the Parquet table chip_telemetry/ (the job's --raw-archive), so "
          + "every table exists. Default: ${DEFAULT-VALUE}.")
  boolean rawArchive;

  private final PrintStream out = System.err;

  @Override
  public Integer call() throws Exception {
    FleetConfig config = fleet.load(Map.of("fleet.chips", Integer.toString(DEMO_CHIPS)));
    FleetModel model = new FleetModel(config);
    RunPlan plan = new RunPlan(Shard.WHOLE, run.startOrNow(), run.duration(), run.speedup());
    plan.endTick(model);
    if (partitions < 1 || parallelism < 1) throw new IllegalArgumentException("--partitions and --parallelism must be >= 1");

    DemoFolder folder = new DemoFolder(data);
    if (folder.prepare()) out.println("demo: cleared the previous demo's output in " + folder.root());
    int kPort = LocalFlink.freePortOr(kafkaPort);
    int uiPort = LocalFlink.freePortOr(webPort);

    try (EmbeddedKafkaBroker kafka =
        EmbeddedKafkaBroker.builder().logDir(folder.kafkaLogs()).port(kPort).build().start()) {
      JobConfig job = jobConfig(kafka.bootstrapServers(), folder.root());
      for (String topic : Topics.ALL) {
        kafka.createTopic(topic, partitions, kafkaRetention == null || !topic.equals(Topics.TELEMETRY) ? Map.of()
            : Map.of("retention.ms", Long.toString(kafkaRetention.toMillis()), "segment.ms", "60000"));
      }
      StreamExecutionEnvironment env = LocalFlink.environment(uiPort, parallelism);
      FleetMetricsJob.configure(env, job);
      FleetMetricsJob.wire(env, job);
      JobClient client = env.executeAsync(FleetMetricsJob.NAME);
      long jobStart = System.nanoTime();
      try (DashboardServer dashboard = DashboardServer.start(DashboardSettings.defaults(kafka.bootstrapServers())
              .withListener(DashboardSettings.DEFAULT_BIND, LocalFlink.freePortOr(dashboardPort)));
          QueryServer sql = QueryServer.start(folder.root(), QueryLimits.endpoint(),
              QueryServer.Settings.loopback(LocalFlink.freePortOr(sqlPort)), line -> {})) {
        banner(config, model, plan, kafka.bootstrapServers(), uiPort, dashboard.url().toString(), sql.url(),
            folder.root());
        generateAndFinish(model, plan, kafka, client, job, jobStart, folder.root());
      }
    }
    return 0;
  }

  private void generateAndFinish(FleetModel model, RunPlan plan, EmbeddedKafkaBroker kafka, JobClient client,
      JobConfig job, long jobStart, Path root) throws Exception {
    GeneratorStats produced;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        KafkaSampleSink sink = new KafkaSampleSink(kafka.bootstrapServers(), Map.of(), Topics.TELEMETRY,
        model.layout(), "fleetpulse-demo")) {
      FleetGenerator generator = new FleetGenerator(model, plan, sink, s -> {
        out.println(s.line() + jobLag(admin, job));
        if (!isRunning(client)) out.println("demo: the job is no longer running; see the log above");
      });
      try (GracefulStop stop = GracefulStop.install("demo-shutdown", () -> {
        out.println("demo: stopping: finishing the current tick, then committing every window");
        generator.requestStop();
      }, Duration.ofMinutes(5))) {
        produced = generator.run();
        out.println(produced.line().replace("generator:", "generator: done,"));
        finish(client, job, produced, jobStart, root);
      }
    }
  }

  private JobConfig jobConfig(String bootstrap, Path root) {
    JobConfig job = JobConfig.defaults()
        .set(JobOptions.BOOTSTRAP_SERVERS, bootstrap)
        .set(JobOptions.DATA, root.toString())
        .set(JobOptions.CHECKPOINT_INTERVAL, checkpointInterval)
        .set(JobOptions.PARALLELISM, parallelism)
        .set(JobOptions.STARTING_OFFSETS, JobOptions.StartingOffsets.EARLIEST)
        .set(JobOptions.CREATE_TOPICS, false)
        .set(JobOptions.RAW_ARCHIVE, rawArchive)
        // The demo's own generator may run days ahead of the wall clock at high --speedup; that is no broken clock.
        .set(JobOptions.MAX_EVENT_TIME_AHEAD, Duration.ofDays(3650));
    if (fleet.configFile() != null) job.set(JobOptions.CONFIG, fleet.configFile().toString());
    return job.validate();
  }

  private void banner(FleetConfig config, FleetModel model, RunPlan plan, String bootstrap, int uiPort,
      String dashboardUrl, String sqlUrl, Path root) {
    out.println();
    out.println("FleetPulse demo");
    out.printf("  fleet       %,d chips (%,d UltraServers) in %d sites %s, a sample per chip every %s, seed %d%n",
        config.fleet().chips(), config.fleet().ultraservers(), config.sites().size(), config.siteIds(),
        Durations.format(config.fleet().interval()), config.fleet().seed());
    out.printf("  simulated   from %s %s at speedup %s%n", plan.alignedStart(model),
        plan.duration() == null ? "until Ctrl-C" : "for " + Durations.format(plan.duration()), plan.speedup());
    out.printf("  Kafka       %s (topics %s)%n", bootstrap, String.join(", ", Topics.ALL));
    out.printf("  Dashboard   %s (live, as windows close)%n", dashboardUrl);
    out.printf("  Flink UI    http://127.0.0.1:%d%n", uiPort);
    out.printf("  SQL         %s (read-only, for notebooks: notebooks/README.md)%n", sqlUrl);
    out.printf("  Parquet     %s/{%s}/date=YYYY-MM-DD/hour=HH/ (committed every %s)%n", root,
        String.join(",", Tables.ALL), Durations.format(checkpointInterval));
    out.println("  Ctrl-C      stops; every window of the samples produced is committed first");
    out.println();
  }

  private void finish(JobClient client, JobConfig job, GeneratorStats produced, long jobStart, Path root)
      throws Exception {
    out.println("demo: waiting for the job to checkpoint the last samples");
    long read = ConsumerCatchUp.await(job.get(JobOptions.BOOTSTRAP_SERVERS), job.get(JobOptions.GROUP_ID),
        Topics.TELEMETRY, Duration.ofMinutes(30), () -> isRunning(client), line -> out.println("demo: " + line));
    double seconds = (System.nanoTime() - jobStart) / 1e9;
    out.println("demo: draining the job: every open window is emitted and committed, then it stops");
    String savepoint = client.stopWithSavepoint(true, job.checkpointUri() + "/savepoints", SavepointFormatType.CANONICAL)
        .get(10, TimeUnit.MINUTES);
    out.printf("demo: job read %,d samples in %.1f s since it started (%,.0f samples/s end to end); savepoint %s%n",
        read, seconds, read / seconds, savepoint);
    LakeSummary.rowsPerTable(root).forEach((table, rows) -> out.printf("demo: %-20s %,d rows in %s/%s%n", table, rows,
        root, table));
    out.println("demo: " + PeakMemory.describe());
    out.printf("demo: query it: ./fleetpulse query --data %s --report carbon-by-site   (--list-reports, --sql ...)%n",
        root);
  }

  /** "; job N samples behind", from the committed offsets: they move on checkpoints, so it trails by one. */
  private static String jobLag(Admin admin, JobConfig job) {
    try {
      return String.format("; job %,d samples behind at its last checkpoint", ConsumerCatchUp.lag(admin, job.get(JobOptions.GROUP_ID),
          Topics.TELEMETRY));
    } catch (Exception e) {
      return "";
    }
  }

  private static boolean isRunning(JobClient client) {
    try {
      JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
      return !status.isGloballyTerminalState();
    } catch (Exception e) {
      return false;
    }
  }
}
