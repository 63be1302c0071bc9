package io.fleetpulse.runner;

import io.fleetpulse.generator.FleetGenerator;
import io.fleetpulse.generator.GeneratorMetrics;
import io.fleetpulse.generator.GeneratorStats;
import io.fleetpulse.generator.KafkaResume;
import io.fleetpulse.generator.KafkaSampleSink;
import io.fleetpulse.generator.RunIdentity;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.jobs.run.ConsumerCatchUp;
import io.fleetpulse.lake.LakeMaintenance;
import io.fleetpulse.lake.LakeOptions;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.FleetOptions;
import io.fleetpulse.cli.GracefulStop;
import io.fleetpulse.cli.PeakMemory;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.RunOptions;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
      "Stops after --duration of simulated time, or on Ctrl-C (which completes the current window at once); either "
          + "way every window of the samples produced is committed before it exits. Started again on the same --data "
          + "(after Ctrl-C, a crash or kill -9) it carries the run on where it stopped, nothing lost or repeated; "
          + "--fresh starts over.",
      "While the job runs, every --lake-interval, the hours it has moved past are compacted into one sorted Parquet "
          + "file per table (and --retention applied); once it stops, every hour is (./fleetpulse lake --help)."
    })
final class DemoCommand implements Callable<Integer> {

  static final int DEMO_CHIPS = 65_536;

  static final Opt<Duration> KAFKA_RETENTION = Opt.duration("kafka-retention").defaultText("keep everything")
      .describe("Delete telemetry from the broker's disk this long (wall clock) after it was written. For long runs of "
          + "large fleets that would not fit on disk; it must stay well above the job's lag behind the generator (each "
          + "progress line shows it), or samples are lost before the job reads them.");

  static final List<Opt<?>> OPTIONS = Commands.options(SharedOptions.FLEET, SharedOptions.RUN, List.of(
      SharedOptions.DATA, SharedOptions.KAFKA_PORT, SharedOptions.WEB_PORT, SharedOptions.DASHBOARD_PORT,
      SharedOptions.SQL_PORT, SharedOptions.METRICS_PORT, SharedOptions.GENERATOR_METRICS_PORT, SharedOptions.PARTITIONS, SharedOptions.PARALLELISM, SharedOptions.CHECKPOINT_INTERVAL,
      KAFKA_RETENTION, SharedOptions.RAW_ARCHIVE, SharedOptions.FRESH), LakeOptions.DEMO);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static CommandLine commandLine() {
    return Commands.commandLine(new DemoCommand(), OPTIONS);
  }

  private FleetOptions fleet;
  private RunOptions run;
  private Path data;
  private int partitions;
  private int parallelism;
  private Duration checkpointInterval;
  private boolean rawArchive;
  private boolean fresh;

  private final PrintStream out = System.err;

  @Override
  public Integer call() throws Exception {
    flags = Flags.of(spec, OPTIONS);
    fleet = FleetOptions.from(flags);
    run = RunOptions.from(flags);
    data = Path.of(flags.get(SharedOptions.DATA));
    partitions = flags.get(SharedOptions.PARTITIONS);
    parallelism = LocalFlink.parallelism(flags.get(SharedOptions.PARALLELISM), partitions);
    checkpointInterval = flags.get(SharedOptions.CHECKPOINT_INTERVAL);
    rawArchive = flags.get(SharedOptions.RAW_ARCHIVE);
    fresh = flags.get(SharedOptions.FRESH);
    lake = LakeOptions.settings(flags); // a bad --retention fails here, before anything starts
    FleetConfig config = fleet.load(Map.of("fleet.chips", Integer.toString(DEMO_CHIPS)));
    FleetModel model = new FleetModel(config);
    if (partitions < 1) throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
    try (DemoFolder folder = DemoFolder.open(data)) {
      DemoRun held = heldRun(folder);
      Instant start = held != null && run.start() == null ? held.start() : run.startOrNow();
      RunPlan plan = new RunPlan(Shard.WHOLE, start, run.duration(), run.speedup(), paceFrom(model, start));
      plan.endTick(model);
      DemoRun asked = new DemoRun(RunIdentity.of(config, plan.alignedStart(model), Shard.WHOLE).runId(),
          fleetText(config), plan.alignedStart(model), run.duration(), partitions, rawArchive, false);
      if (held != null) {
        List<String> differences = held.differences(asked);
        if (!differences.isEmpty()) {
          throw new IllegalArgumentException("--data " + folder.root() + " holds a run with other settings ("
              + String.join("; ", differences) + "): run it with the same ones to carry it on, or pass --fresh to "
              + "start over (or give another --data)");
        }
        if (held.complete()) {
          out.println("demo: the run in " + folder.root() + " is complete; --fresh starts it over");
          summary(folder.root());
          return 0;
        }
        out.println("demo: carrying on the run in " + folder.root() + " (from " + held.start() + "; --fresh starts "
            + "over)");
      }
      folder.write(asked);
      runPipeline(config, model, plan, folder, held != null);
      if (finished) folder.write(asked.completed());
    }
    return 0;
  }

  /** The run the folder holds; with --fresh, none (the folder is cleared). */
  private DemoRun heldRun(DemoFolder folder) {
    boolean hasManifest = java.nio.file.Files.exists(folder.root().resolve(DemoFolder.MANIFEST));
    if (fresh) {
      if (hasManifest) out.println("demo: --fresh: clearing the run in " + folder.root());
      folder.clear();
      return null;
    }
    DemoRun held = hasManifest ? folder.previousRun() : null;
    if (hasManifest && held == null) {
      throw new IllegalArgumentException("--data " + folder.root() + " holds a demo of an older FleetPulse, which "
          + "cannot be carried on: pass --fresh to clear it");
    }
    return held;
  }

  /** At --speedup 1 from now, pace by the wall clock itself: a sample stamped t leaves at t. */
  private Instant paceFrom(FleetModel model, Instant start) {
    if (!run.speedup().equals(Speedup.REAL_TIME) || run.start() != null) return null;
    return Instant.ofEpochMilli(model.tickOf(start.toEpochMilli()) * model.intervalMs());
  }

  /** The fleet flags as given, in a stable form: chips, interval, seed, --set and --config. */
  private String fleetText(FleetConfig config) {
    StringBuilder sb = new StringBuilder("chips=" + config.fleet().chips() + " interval="
        + Durations.format(config.fleet().interval()) + " seed=" + config.fleet().seed());
    new java.util.TreeMap<>(fleet.overrides()).forEach((k, v) -> {
      if (!k.equals("fleet.chips") && !k.equals("fleet.interval") && !k.equals("fleet.seed")) {
        sb.append(' ').append(k).append('=').append(v);
      }
    });
    if (fleet.configFile() != null) sb.append(" config=").append(fleet.configFile().toAbsolutePath().normalize());
    return sb.toString();
  }

  private Flags flags;
  private LakeMaintenance.Settings lake;
  private LakeUpkeep upkeep;
  private boolean jobStopped;
  private boolean finished;
  private int webUiPort;

  private void runPipeline(FleetConfig config, FleetModel model, RunPlan plan, DemoFolder folder, boolean resuming)
      throws Exception {
    LocalPipeline.Settings settings = new LocalPipeline.Settings(folder.root(),
        new LocalPipeline.Ports(flags.get(SharedOptions.KAFKA_PORT), flags.get(SharedOptions.WEB_PORT),
            flags.get(SharedOptions.DASHBOARD_PORT), flags.get(SharedOptions.SQL_PORT),
            flags.get(SharedOptions.METRICS_PORT)), partitions, parallelism,
        flags.get(KAFKA_RETENTION),
        config, bootstrap -> LocalPipeline.jobConfig(bootstrap, folder.root(), model, plan, fleet.overrides(),
            fleet.configFile(), new LocalPipeline.JobShape(checkpointInterval, parallelism, rawArchive)));
    int generatorPort = LocalFlink.checkMetricsPort(flags.get(SharedOptions.GENERATOR_METRICS_PORT), SharedOptions.GENERATOR_METRICS_PORT.flag());
    try (LocalPipeline pipeline = LocalPipeline.start(settings, line -> out.println("demo: " + line));
        GeneratorMetrics generatorMetrics = generatorPort < 0 ? null : GeneratorMetrics.startOnPreferredOrFree("127.0.0.1",
            generatorPort, Shard.WHOLE.toString(), RunIdentity.of(config,
                plan.alignedStart(model), Shard.WHOLE).runId())) {
      webUiPort = pipeline.webPort();
      String prometheus = (pipeline.metricsPort() < 0 ? "" : "job http://127.0.0.1:" + pipeline.metricsPort()
          + "/metrics") + (generatorMetrics == null ? "" : (pipeline.metricsPort() < 0 ? "" : ", ") + "generator "
          + generatorMetrics.url());
      banner(config, model, plan, pipeline.bootstrapServers(), pipeline.webPort(), pipeline.dashboardUrl(),
          pipeline.sqlUrl(), prometheus, folder.root());
      upkeep = LakeUpkeep.start(folder.root(), lake, flags.get(LakeOptions.INTERVAL), line -> out.println("demo: "
          + line));
      generateAndFinish(model, plan, pipeline, resuming, generatorMetrics);
    } finally {
      if (upkeep != null) upkeep.close();
    }
    // The SQL endpoint is closed and the job stopped: nothing of ours reads the lake, the replaced files can go.
    if (jobStopped) upkeep.afterReaders();
  }

  private void generateAndFinish(FleetModel model, RunPlan plan, LocalPipeline pipeline, boolean resuming,
      GeneratorMetrics generatorMetrics) throws Exception {
    JobClient client = pipeline.client();
    JobConfig job = pipeline.job();
    String bootstrap = pipeline.bootstrapServers();
    RunIdentity identity = RunIdentity.of(model.config(), plan.alignedStart(model), Shard.WHOLE);
    KafkaResume.Position resume = resuming
        ? KafkaResume.find(bootstrap, Map.of(), Topics.TELEMETRY, model, plan, identity) : null;
    if (resume != null && !resume.none()) out.println("demo: the generator carries on: " + resume.describe());
    long windowMs = job.get(JobOptions.WINDOW).toMillis();
    GeneratorStats produced;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        KafkaSampleSink sink = new KafkaSampleSink(bootstrap, Map.of(), Topics.TELEMETRY,
            model.layout(), identity, "fleetpulse-demo")) {
      sink.withGridIntensity(Topics.GRID_INTENSITY);
      FleetGenerator generator = resume == null || resume.none()
          ? new FleetGenerator(model, plan, sink, progressLine(admin, job, client))
          : new FleetGenerator(model, plan, sink, progressLine(admin, job, client), resume.resumeTick(),
              resume.sentAlready());
      if (generatorMetrics != null) generatorMetrics.watch(generator);
      try (GracefulStop stop = GracefulStop.install("demo-shutdown", () -> {
        out.println("demo: stopping: completing the current window at once, then committing every window");
        generator.requestStopAt(windowMs);
      }, Duration.ofMinutes(5))) {
        produced = generator.run();
        out.println(produced.line().replace("generator:", "generator: done,"));
        long endTick = plan.endTick(model);
        boolean runComplete = endTick != RunPlan.UNBOUNDED
            && produced.simulatedTime().toEpochMilli() >= endTick * model.intervalMs();
        finish(pipeline, produced, runComplete, windowMs,
            resume == null || resume.none() ? plan.alignedStart(model).toEpochMilli()
                : resume.resumeTick() * model.intervalMs());
        finished = runComplete;
      }
    }
  }

  private java.util.function.Consumer<GeneratorStats> progressLine(Admin admin, JobConfig job, JobClient client) {
    return s -> {
      out.println(s.line() + jobLag(admin, job));
      if (!isRunning(client)) out.println("demo: the job is no longer running; see the log above");
    };
  }

  private void banner(FleetConfig config, FleetModel model, RunPlan plan, String bootstrap, int uiPort,
      String dashboardUrl, String sqlUrl, String prometheus, Path root) {
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
    if (!prometheus.isEmpty()) out.printf("  Prometheus  %s (docs/monitoring.md)%n", prometheus);
    out.printf("  Parquet     %s/{%s}/date=YYYY-MM-DD/hour=HH/ (committed every %s)%n", root,
        String.join(",", Tables.ALL), Durations.format(checkpointInterval));
    Duration every = flags.get(LakeOptions.INTERVAL);
    out.printf("  Lake        %s (./fleetpulse lake status --data %s)%n", every.isZero()
        ? "left as the job writes it (--lake-interval 0s)" : "sealed hours compacted every " + Durations.format(every)
        + ", all once the job stops; retention " + lake.retention(), root);
    out.println("  Ctrl-C      stops; every window of the samples produced is committed first");
    out.println();
  }

  /**
   * Ends the job with every window of what was produced committed. A run that reached its end drains (its last window
   * may be partial; it is the run's last); a run stopped early ends on a window boundary (the generator completed
   * the window at once), so its job stops with a plain savepoint, every window whole, and a later demo carries on.
   */
  private void finish(LocalPipeline pipeline, GeneratorStats produced, boolean runComplete, long windowMs,
      long resumedAtMs) throws Exception {
    JobClient client = pipeline.client();
    JobConfig job = pipeline.job();
    Path root = Path.of(java.net.URI.create(job.dataUri()));
    long end = produced.simulatedTime().toEpochMilli();
    long lastWindowEnd = Math.floorDiv(end, windowMs) * windowMs;
    pipeline.awaitWindows(lastWindowEnd, resumedAtMs, line -> out.println("demo: " + line));
    long restarts = JobRestarts.of(webUiPort, client.getJobID());
    if (restarts >= 0) out.println("demo: the job failed and restarted " + restarts + " times");
    out.println(runComplete ? "demo: the run is complete: its last window is emitted and committed, then the job stops"
        : "demo: the job stops with a savepoint; ./fleetpulse demo on the same --data carries on from here");
    java.time.Duration lateness = job.get(JobOptions.ALLOWED_LATENESS);
    if (!runComplete && !lateness.isZero()) {
      out.println("demo: the windows of the last " + Durations.format(lateness) + " wait out --allowed-lateness in the "
          + "savepoint; they are written when the demo carries on");
    }
    String savepoint = pipeline.stop(runComplete);
    jobStopped = true;
    upkeep.afterJob();
    double seconds = pipeline.seconds();
    out.printf("demo: the job ran %.1f s; %,d samples produced in this run of the demo (%,.0f samples/s end to end); "
        + "savepoint %s%n", seconds, produced.samples(), produced.samples() / seconds, savepoint);
    summary(root);
  }

  private void summary(Path root) throws Exception {
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
