package io.fleetpulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.generator.FleetGenerator;
import io.fleetpulse.generator.GeneratorStats;
import io.fleetpulse.generator.KafkaSampleSink;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.cli.FleetOptions;
import io.fleetpulse.cli.PeakMemory;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.runner.LocalPipeline;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.Topics;
import io.fleetpulse.schema.WindowMetrics;
import io.fleetpulse.testing.SseConnection;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;

/**
 * {@code bench latency}: the demo's pipeline in real time (event time = wall clock), with three consumers that note
 * when each fleet window reaches them: a plain Kafka consumer of fleet.metrics.fleet, a dashboard client (SSE), and a
 * watcher of the Parquet table fleet_window. A window's delay is from its end on the wall clock to that moment.
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the whole pipeline as the demo does (broker, job, dashboard and SQL endpoint on this machine) on the "
          + "fleet in real time, and measures how long after its end on the wall clock each fleet window reaches "
          + "Kafka (fleet.metrics.fleet, read by a plain consumer), a dashboard client (SSE) and the Parquet table "
          + "(committed on a checkpoint): p50/p95/p99/max, plus the job's own share (emitted_at), samples/s, CPU "
          + "and peak RSS. The run starts on the next minute, so every window measured is whole."
    })
final class LatencyBench implements Callable<Integer> {

  static final Opt<Duration> RUN_FOR = Opt.duration("run-for").defaultValue(Duration.ofMinutes(5))
      .describe("Real time to run (and simulated time, which is the wall clock here), from the start of the next "
          + "minute.");

  static final List<Opt<?>> OPTIONS = Commands.options(SharedOptions.FLEET, List.of(RUN_FOR, SharedOptions.PARTITIONS,
      SharedOptions.PARALLELISM, SharedOptions.CHECKPOINT_INTERVAL, SharedOptions.RAW_ARCHIVE));

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  static picocli.CommandLine commandLine() {
    return Commands.commandLine(new LatencyBench(), OPTIONS);
  }

  private FleetOptions fleet;
  private Duration duration;
  private int partitions;
  private int parallelism;
  private Duration checkpointInterval;
  private boolean rawArchive;

  private final PrintStream out = System.out;
  private volatile boolean running = true;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    Flags flags = Flags.of(spec, OPTIONS);
    fleet = FleetOptions.from(flags);
    duration = flags.get(RUN_FOR);
    partitions = flags.get(SharedOptions.PARTITIONS);
    parallelism = io.fleetpulse.runner.LocalFlink.parallelism(flags.get(SharedOptions.PARALLELISM), partitions);
    checkpointInterval = flags.get(SharedOptions.CHECKPOINT_INTERVAL);
    rawArchive = flags.get(SharedOptions.RAW_ARCHIVE);
    FleetConfig config = fleet.load(Map.of());
    FleetModel model = new FleetModel(config);
    // From the next minute: every window measured is whole, and event time is the wall clock throughout.
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    RunPlan plan = new RunPlan(Shard.WHOLE, start, duration, Speedup.REAL_TIME, start);
    plan.endTick(model);
    Path data = Files.createTempDirectory("fleetpulse-bench-latency");
    out.printf("bench latency: %,d chips, a sample every %s (%,.0f samples/s), from %s for %s in real time, "
        + "partitions %d, parallelism %d, checkpoints every %s, raw archive %s%n", config.fleet().chips(),
        Durations.format(config.fleet().interval()), config.fleet().chips() * 1000.0 / config.fleet().interval()
            .toMillis(), start, Durations.format(duration), partitions, parallelism,
        Durations.format(checkpointInterval), rawArchive);
    long cpuStart = cpuNanos();
    long wallStart = System.nanoTime();
    LocalPipeline.Settings settings = new LocalPipeline.Settings(data, new LocalPipeline.Ports(0, 0, 0, 0, -1), partitions,
        parallelism, null, config, bootstrap -> LocalPipeline.jobConfig(bootstrap, data, model, plan,
            fleet.overrides(), fleet.configFile(), new LocalPipeline.JobShape(checkpointInterval, parallelism,
                rawArchive)));
    Arrivals kafka = new Arrivals();
    Arrivals emitted = new Arrivals();
    Arrivals browser = new Arrivals();
    Arrivals parquet = new Arrivals();
    Arrivals firstUltraServer = new Arrivals();
    Arrivals lastUltraServer = new Arrivals();
    GeneratorStats produced;
    try (LocalPipeline pipeline = LocalPipeline.start(settings, line -> out.println("bench latency: " + line))) {
      Thread consumer = daemon("latency-kafka", () -> consume(pipeline.bootstrapServers(), kafka, emitted, firstUltraServer, lastUltraServer));
      SseConnection sse = SseConnection.open(HttpClient.newHttpClient(), URI.create(pipeline.dashboardUrl() + "events"),
          null, e -> onEvent(e, browser));
      Thread lake = daemon("latency-parquet", () -> watch(data.resolve("fleet_window"), parquet));
      try (KafkaSampleSink sink = new KafkaSampleSink(pipeline.bootstrapServers(), Map.of(), Topics.TELEMETRY,
          model, plan, "bench-latency")) {
        sink.withGridIntensity(Topics.GRID_INTENSITY); // as the demo: windows are priced at their hour's grid figures
        produced = new FleetGenerator(model, plan, sink, s -> out.println("bench latency: " + s.line())).run();
      }
      long end = plan.endTick(model) * model.intervalMs();
      pipeline.awaitWindows(end, 0, line -> out.println("bench latency: " + line));
      pipeline.stop(true);
      waitFor(() -> parquet.count() >= windows(start, end) && browser.count() >= windows(start, end),
          Duration.ofSeconds(30));
      sse.close();
      running = false;
      consumer.join(5_000);
      lake.join(5_000);
      double wall = (System.nanoTime() - wallStart) / 1e9;
      double cpu = (cpuNanos() - cpuStart) / 1e9;
      report(start, end, produced, wall, cpu, kafka, emitted, browser, parquet, firstUltraServer, lastUltraServer);
    }
    return 0;
  }

  private static long windows(Instant start, long end) {
    // Every window of the run, whole: the run starts on a minute.
    return (end - start.toEpochMilli()) / 60_000;
  }

  private void report(Instant start, long end, GeneratorStats produced, double wall, double cpu, Arrivals kafka,
      Arrivals emitted, Arrivals browser, Arrivals parquet, Arrivals firstUltraServer, Arrivals lastUltraServer) {
    long first = start.toEpochMilli();
    out.printf("bench latency: where the job's share goes, window end (wall clock) -> ...%n");
    out.printf("  its first UltraServer window out  %s%n", firstUltraServer.delays(first, end).describeMillis("windows"));
    out.printf("  its last UltraServer window out   %s%n", lastUltraServer.delays(first, end).describeMillis("windows"));
    out.printf("bench latency: fleet window delay, window end (wall clock) -> ...%n");
    out.printf("  the job emits it (emitted_at)     %s%n", emitted.delays(first, end).describeMillis("windows"));
    out.printf("  a Kafka consumer has it           %s%n", kafka.delays(first, end).describeMillis("windows"));
    out.printf("  a dashboard client has it (SSE)   %s%n", browser.delays(first, end).describeMillis("windows"));
    out.printf("  it is committed to Parquet        %s%n", parquet.delays(first, end).describeMillis("windows"));
    out.printf("bench latency: %,d samples in %.0f s (%,.0f samples/s); process CPU %.0f s = %.2f cores of %d; %s%n",
        produced.samples(), wall, produced.samples() / wall, cpu, cpu / wall,
        Runtime.getRuntime().availableProcessors(), PeakMemory.describe());
  }

  /** When each window (by its end) first reached a consumer, wall clock ms. */
  static final class Arrivals {
    final Map<Long, Long> byWindowEnd = new ConcurrentHashMap<>();

    void arrived(long windowEnd, long at) {
      byWindowEnd.merge(windowEnd, at, Math::max);
    }

    void firstArrived(long windowEnd, long at) {
      byWindowEnd.putIfAbsent(windowEnd, at);
    }

    int count() {
      return byWindowEnd.size();
    }

    Percentiles delays(long fromEnd, long toEnd) {
      List<Long> d = new ArrayList<>();
      byWindowEnd.forEach((e, at) -> {
        if (e > fromEnd && e <= toEnd) d.add(at - e);
      });
      return Percentiles.of(d);
    }
  }

  /** Reads the fleet topic (arrival and emitted_at) and the UltraServer topic (when its windows were emitted). */
  private void consume(String bootstrap, Arrivals kafka, Arrivals emitted, Arrivals firstUltraServer,
      Arrivals lastUltraServer) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = Stream.of(Topics.METRICS_FLEET, Topics.METRICS_ULTRASERVER)
          .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition()))).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          WindowMetrics m = AvroCodec.WINDOW_METRICS.decode(r.value());
          long end = m.getWindowEnd().toEpochMilli();
          if (m.getLevel() == AggregationLevel.ULTRASERVER) {
            long at = m.getEmittedAt().toEpochMilli();
            firstUltraServer.byWindowEnd.merge(end, at, Math::min);
            lastUltraServer.arrived(end, at);
            continue;
          }
          if (m.getLevel() != AggregationLevel.FLEET) continue;
          kafka.firstArrived(end, now);
          emitted.firstArrived(end, m.getEmittedAt().toEpochMilli());
        }
      }
    }
  }

  /** A window is on the dashboard with its last push: the latest receipt of an event for it. */
  private static void onEvent(SseConnection.Event e, Arrivals browser) {
    if (!"window".equals(e.type())) return;
    try {
      JsonNode w = JSON.readTree(e.data());
      if (w.path("fleet").isNull() || w.path("fleet").isMissingNode()) return;
      browser.arrived(w.path("windowEnd").asLong(), System.currentTimeMillis());
    } catch (java.io.IOException bad) {
      // not a window event we can read
    }
  }

  /** Polls the table's folder: a window is in Parquet once a committed file holds it. */
  private void watch(Path table, Arrivals parquet) {
    Set<Path> seen = new HashSet<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      while (running) {
        List<Path> fresh = new ArrayList<>();
        if (Files.isDirectory(table)) {
          try (Stream<Path> files = Files.walk(table)) {
            files.filter(p -> p.getFileName().toString().startsWith("part-")
                && p.getFileName().toString().endsWith(".parquet")).filter(seen::add).forEach(fresh::add);
          }
        }
        long now = System.currentTimeMillis();
        for (Path f : fresh) {
          try (ResultSet rs = st.executeQuery("SELECT epoch_ms(window_end) FROM read_parquet('" + f + "')")) {
            while (rs.next()) parquet.firstArrived(rs.getLong(1), now);
          }
        }
        Thread.sleep(100); // a poll interval, not a synchronisation: it bounds the measurement's resolution
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("cannot watch " + table, e);
    }
  }

  private static Thread daemon(String name, Runnable work) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static void waitFor(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(100);
  }
}
