package io.fleetpulse.bench;

import io.fleetpulse.platform.TopicAdmin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.dashboard.DashboardServer;
import io.fleetpulse.dashboard.DashboardSettings;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.CliErrors;
import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.WindowMetrics;
import io.fleetpulse.testing.ModelledWindows;
import io.fleetpulse.testing.SseConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;

/**
 * Load check of the dashboard's push path: many SSE clients on loopback, real windows written to Kafka, and the
 * delivery lag each client sees, from the moment a window's first record is handed to the Kafka producer until
 * that client has received the window with all its UltraServers. Prints the lag percentiles, deliveries and
 * memory. A benchmark, not a test: it prints figures and fails only when deliveries are missing.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Holds --clients SSE connections to a dashboard on loopback, writes --windows windows of "
        + "--ultraservers UltraServer records to Kafka (one every --every), and prints the delivery lag per client "
        + "(p50/p95/p99/max), deliveries and memory.")
public final class SseLoadBench implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WINDOW_MS = 60_000;
  /** SSE connections per HttpClient (each has one selector thread). */
  private static final int CONNECTIONS_PER_HTTP_CLIENT = 25;

  static final Opt<Integer> CLIENTS = Opt.integer("clients").defaultValue(200).describe("Concurrent SSE clients.");

  static final Opt<Integer> WINDOWS_WRITTEN = Opt.integer("windows-written").defaultValue(20)
      .describe("Windows written to Kafka, each measured.");

  static final Opt<Integer> ULTRASERVERS = Opt.integer("ultraservers").defaultValue(1024)
      .describe("UltraServer records per window (1024 = the demo's 65,536 chips).");

  static final Opt<Duration> EVERY = Opt.duration("every").defaultValue(Duration.ofSeconds(1))
      .describe("Pause between two windows (wall clock).");

  static final Opt<String> EXTERNAL_KAFKA = Opt.string("external-kafka", "HOST:PORT")
      .defaultText("a broker started in this process")
      .describe("Kafka to use instead of an in-process broker (a topic named dashboard-bench-<time> is created).");

  static final List<Opt<?>> OPTIONS = List.of(CLIENTS, WINDOWS_WRITTEN, ULTRASERVERS, EVERY, EXTERNAL_KAFKA);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public static picocli.CommandLine commandLine() {
    return Commands.commandLine(new SseLoadBench(), OPTIONS);
  }

  private int clients;
  private int windows;
  private int ultraservers;
  private Duration every;
  private String bootstrapServers;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    Flags flags = Flags.of(spec, OPTIONS);
    clients = flags.get(CLIENTS);
    windows = flags.get(WINDOWS_WRITTEN);
    ultraservers = flags.get(ULTRASERVERS);
    every = flags.get(EVERY);
    bootstrapServers = flags.get(EXTERNAL_KAFKA);
    if (clients < 1 || windows < 1 || ultraservers < 1) {
      throw new IllegalArgumentException("--clients, --windows-written and --ultraservers must be >= 1");
    }
    EmbeddedKafkaBroker broker = bootstrapServers == null ? EmbeddedKafkaBroker.builder().build().start() : null;
    String bootstrap = broker != null ? broker.bootstrapServers() : bootstrapServers;
    String topic = "dashboard-bench-" + System.currentTimeMillis();
    try {
      Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      TopicAdmin.ensure(admin, Map.of(topic, 4, topic + ".alerts", 1), (short) 1, Map.of());
      return run(bootstrap, topic);
    } finally {
      if (broker != null) broker.close();
    }
  }

  private int run(String bootstrap, String topic) throws Exception {
    ModelledWindows fleet = new ModelledWindows(new FleetModel(FleetConfigLoader.load(null,
        Map.of("fleet.chips", Integer.toString(ultraservers * 64)))), Duration.ofMillis(WINDOW_MS));
    long firstWindow = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();
    // Computed and encoded up front: sampling the model while measuring would take CPU from what is measured.
    List<List<ProducerRecord<byte[], byte[]>>> toSend = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (WindowMetrics m : fleet.window(firstWindow + w * WINDOW_MS)) {
        records.add(new ProducerRecord<>(topic, m.getUltraserverId().toString().getBytes(StandardCharsets.UTF_8),
            AvroCodec.WINDOW_METRICS.encode(m)));
      }
      toSend.add(records);
    }
    int perWindow = toSend.get(0).size(); // UltraServers in maintenance send nothing

    DashboardSettings settings = DashboardSettings.defaults(bootstrap).withListener("127.0.0.1", 0)
        .withTopics(List.of(topic), topic + ".alerts").withRetention(Math.max(windows, 1), Duration.ZERO);
    try (DashboardServer server = DashboardServer.start(settings);
        KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      out.printf("sse bench: %d clients, %d windows of %d UltraServer records every %s, Kafka %s, dashboard %s%n",
          clients, windows, perWindow, Durations.format(every), bootstrap, server.url());
      long heapBefore = heapAfterGc();

      Map<Long, Long> sentAt = new ConcurrentHashMap<>();
      long[][] lagNanos = new long[clients][windows];
      for (long[] l : lagNanos) Arrays.fill(l, -1);
      CountDownLatch connected = new CountDownLatch(clients);
      CountDownLatch complete = new CountDownLatch(clients * windows);
      AtomicLong events = new AtomicLong();
      List<HttpClient> https = new ArrayList<>();
      List<SseConnection> connections = new ArrayList<>();
      long connectStart = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        if (c % CONNECTIONS_PER_HTTP_CLIENT == 0) https.add(HttpClient.newHttpClient());
        int client = c;
        connections.add(SseConnection.open(https.get(https.size() - 1), server.url().resolve("/events"), null, e -> {
          events.incrementAndGet();
          if (e.type().equals("snapshot")) connected.countDown();
          if (!e.type().equals("window")) return;
          JsonNode w = parse(e.data());
          long start = w.get("windowStart").asLong();
          int index = (int) ((start - firstWindow) / WINDOW_MS);
          if (index < 0 || index >= windows) return;
          // Pushes may show a window while its records are still arriving; it counts once it is complete.
          if (w.at("/fleet/ultraservers").asInt() == perWindow && lagNanos[client][index] < 0) {
            lagNanos[client][index] = e.receivedNanos() - sentAt.get(start);
            complete.countDown();
          }
        }));
      }
      if (!connected.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException((clients - connected.getCount()) + " of " + clients
            + " clients connected within 60 s");
      }
      out.printf("sse bench: %d clients connected and got their snapshot in %.2f s%n", clients,
          (System.nanoTime() - connectStart) / 1e9);
      long heapConnected = heapAfterGc();

      // A plain consumer beside the dashboard: when it has read a whole window, Kafka's part of the lag is over.
      long[] kafkaLagNanos = new long[windows];
      KafkaReference reference = new KafkaReference(bootstrap, topic, perWindow, firstWindow, WINDOW_MS, sentAt,
          kafkaLagNanos);
      reference.start();

      long tick = System.nanoTime();
      for (int w = 0; w < windows; w++) {
        sentAt.put(firstWindow + w * WINDOW_MS, System.nanoTime());
        toSend.get(w).forEach(producer::send);
        producer.flush();
        tick += every.toNanos();
        LockSupport.parkNanos(tick - System.nanoTime());
      }
      boolean all = complete.await(60, TimeUnit.SECONDS);
      reference.close();
      long heapAfter = heapAfterGc();
      long dropped = connections.stream().filter(c -> c.ended().isDone()).count();
      connections.forEach(SseConnection::close);

      long[] lags = Arrays.stream(lagNanos).flatMapToLong(Arrays::stream).filter(l -> l >= 0).sorted().toArray();
      long expected = (long) clients * windows;
      if (lags.length > 0) {
        out.printf("sse bench: delivery lag, record produced -> complete window at a client (%,d deliveries): "
            + "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", lags.length, ms(new Percentiles(lags).at(0.50)),
            ms(new Percentiles(lags).at(0.95)), ms(new Percentiles(lags).at(0.99)), ms(lags[lags.length - 1]));
      }
      long[] kafkaLags = Arrays.stream(kafkaLagNanos).filter(l -> l > 0).sorted().toArray();
      if (kafkaLags.length > 0) {
        out.printf("sse bench: of which Kafka alone, record produced -> whole window read by a plain consumer "
            + "(%d windows): p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", kafkaLags.length,
            ms(new Percentiles(kafkaLags).at(0.50)), ms(new Percentiles(kafkaLags).at(0.95)),
            ms(kafkaLags[kafkaLags.length - 1]));
      }
      out.printf("sse bench: delivered %,d of %,d (%d clients x %d windows); %,d events in all; %d connections "
          + "dropped%n", lags.length, expected, clients, windows, events.get(), dropped);
      out.printf("sse bench: heap after GC %.0f MB before clients, %.0f MB with %d connected (%.0f KB per client, "
          + "server and client side, one JVM), %.0f MB after the run; peak RSS %s; %d threads%n",
          mb(heapBefore), mb(heapConnected), clients, (heapConnected - heapBefore) / 1024.0 / clients, mb(heapAfter),
          peakRss(), ManagementFactory.getThreadMXBean().getThreadCount());
      out.printf("sse bench: dashboard read %,d records, skipped %d%n", server.recordsRead(), server.recordsSkipped());
      return all && lags.length == expected ? 0 : 1;
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("the dashboard sent something that is not JSON: " + json, e);
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double mb(long bytes) {
    return bytes / 1024.0 / 1024.0;
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** VmHWM from /proc (Linux); "n/a" elsewhere. */
  private static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("\\D+", ""));
          return String.format("%.0f MB", kb / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "n/a";
  }

  public static void main(String[] args) {
    System.exit(CliErrors.install(commandLine()).execute(args));
  }
}
