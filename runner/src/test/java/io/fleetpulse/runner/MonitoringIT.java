package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.generator.FleetGenerator;
import io.fleetpulse.generator.GeneratorMetrics;
import io.fleetpulse.generator.KafkaSampleSink;
import io.fleetpulse.generator.RunIdentity;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.platform.LocalMachine;
import io.fleetpulse.schema.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring stack against the real thing: a small pipeline in this process (in-process Kafka, the job on a
 * MiniCluster with Flink's Prometheus reporter, the generator with its /metrics), scraped every second by Debian's
 * prometheus binary, started as a child process with the repository's own scrape config (prometheus-local.yml, its
 * targets pointed at this run) and alert rules. Through Prometheus's HTTP API: the fleet's and every site's power
 * gauge for the run's last window equals the Parquet row the job committed for that window (DuckDB reads it back),
 * every PromQL expression of the dashboards and rules evaluates, every metric they name exists, and every rule is
 * healthy. Both endpoints pass promtool check metrics.
 */
@Timeout(600)
class MonitoringIT {

  static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
  static final Duration RUN = Duration.ofMinutes(5);
  static final String P = "flink_taskmanager_job_task_operator_fleetpulse_";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Test
  void prometheusScrapesThePipelineAndItsFleetPowerIsTheParquetValue() throws Exception {
    long started = System.nanoTime();
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "4096")));
    RunPlan plan = new RunPlan(Shard.WHOLE, START, RUN, new Speedup(60));
    Path data = dir.resolve("data");
    LocalPipeline.Settings settings = new LocalPipeline.Settings(data, new LocalPipeline.Ports(0, 0, 0, 0, 0), 2, 2,
        null, model.config(), bootstrap -> LocalPipeline.jobConfig(bootstrap, data, model, plan, Map.of(), null,
            new LocalPipeline.JobShape(Duration.ofSeconds(1), 2, false)));
    RunIdentity identity = RunIdentity.of(model.config(), plan.alignedStart(model), Shard.WHOLE);
    long lastWindowEnd = START.plus(RUN).toEpochMilli();
    Map<String, Double> scraped;
    try (LocalPipeline pipeline = LocalPipeline.start(settings, log::add);
        GeneratorMetrics generatorMetrics = GeneratorMetrics.start("127.0.0.1", 0, Shard.WHOLE.toString(),
            identity.runId());
        Prometheus prometheus = Prometheus.start(dir.resolve("prometheus"), pipeline.metricsPort(),
            generatorMetrics.port())) {
      Awaitility.await("Prometheus scrapes the job and the generator").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> prometheus.vector("sum(up{job=~\"flink|fleetpulse-generator\"})").stream()
              .anyMatch(s -> s.value() == 2));

      try (KafkaSampleSink sink = new KafkaSampleSink(pipeline.bootstrapServers(), Map.of(), Topics.TELEMETRY,
          model.layout(), identity, "fleetpulse-monitoring-it")) {
        sink.withGridIntensity(Topics.GRID_INTENSITY); // as the demo: each window priced at its hour's figures
        FleetGenerator generator = new FleetGenerator(model, plan, sink, s -> {});
        generatorMetrics.watch(generator);
        generator.run();
      }
      pipeline.awaitWindows(lastWindowEnd, START.toEpochMilli(), log::add);

      // The gauges stop moving at the run's last window. A scrape reads the gauges one after the other, so only a
      // scrape taken after Prometheus first showed that window is sure to hold it whole.
      double end = lastWindowEnd / 1000.0;
      Awaitility.await("the fleet gauges at the last window").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> prometheus.vector("max(" + P + "fleet_window_end_seconds)").stream()
              .anyMatch(s -> s.value() == end));
      double seenAt = System.currentTimeMillis() / 1000.0;
      Awaitility.await("a scrape after that").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
          .until(() -> prometheus.vector("min(timestamp(" + P + "fleet_power_watts))").stream()
              .anyMatch(s -> s.value() > seenAt));
      scraped = scrapedGauges(prometheus, end);

      checkEndpoints(pipeline.metricsPort(), generatorMetrics.port());
      checkEveryDashboardAndRuleExpression(prometheus);
      measure(prometheus, pipeline.metricsPort());
      log.add("savepoint " + pipeline.stop(true));
    }

    // What the job committed for the same window, read back from Parquet.
    Map<String, Double> lake = lakePower(data, lastWindowEnd);
    assertThat(lake.keySet()).containsExactlyInAnyOrder("fleet", "fleet.utilization", "us_in", "us_pa", "us_ms");
    assertThat(scraped.keySet()).isEqualTo(lake.keySet());
    for (var e : lake.entrySet()) {
      assertThat(scraped.get(e.getKey())).as("%s in Prometheus against Parquet", e.getKey())
          .isCloseTo(e.getValue(), offset(Math.abs(e.getValue()) * 1e-9));
    }
    System.out.printf("monitoring-it: took %.1f s; fleet power of the window ending %s: %s W in Prometheus, %s W in "
        + "Parquet (%s)%n", (System.nanoTime() - started) / 1e9, Instant.ofEpochMilli(lastWindowEnd),
        scraped.get("fleet"), lake.get("fleet"), scraped.get("fleet").equals(lake.get("fleet")) ? "identical"
            : "relative difference " + Math.abs(scraped.get("fleet") / lake.get("fleet") - 1));
  }

  /** The power gauge of the fleet and of every site for the window ending at {@code end}, from Prometheus. */
  private static Map<String, Double> scrapedGauges(Prometheus prometheus, double end) throws Exception {
    Map<String, Double> out = new TreeMap<>();
    String atEnd = " and on() (" + P + "fleet_window_end_seconds == " + end + ")";
    List<Sample> fleet = prometheus.vector(P + "fleet_power_watts" + atEnd);
    assertThat(fleet).as("the fleet power gauge, one series").hasSize(1);
    out.put("fleet", fleet.get(0).value());
    List<Sample> utilization = prometheus.vector(P + "fleet_utilization" + atEnd);
    out.put("fleet.utilization", utilization.get(0).value());
    List<Sample> sites = prometheus.vector("max by (site) (" + P + "site_power_watts) and on(site) max by (site) ("
        + P + "site_window_end_seconds == " + end + ")");
    for (Sample s : sites) out.put(s.labels().get("site").asText(), s.value());
    return out;
  }

  private static Map<String, Double> lakePower(Path data, long windowEndMs) throws Exception {
    Map<String, Double> out = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      String power = "it_energy_kwh * 3.6e6 / ((epoch_ms(window_end) - epoch_ms(window_start)) / 1000.0)";
      try (ResultSet rs = st.executeQuery("SELECT " + power + ", utilization_avg FROM read_parquet('" + data
          + "/fleet_window/**/*.parquet') WHERE epoch_ms(window_end) = " + windowEndMs)) {
        assertThat(rs.next()).as("the fleet window ending at %s in Parquet", Instant.ofEpochMilli(windowEndMs))
            .isTrue();
        out.put("fleet", rs.getDouble(1));
        out.put("fleet.utilization", rs.getDouble(2));
        assertThat(rs.next()).as("one fleet row per window").isFalse();
      }
      try (ResultSet rs = st.executeQuery("SELECT site, " + power + " FROM read_parquet('" + data
          + "/site_window/**/*.parquet') WHERE epoch_ms(window_end) = " + windowEndMs)) {
        // Flink's reporter writes label values as it writes names: us-in is site="us_in".
        while (rs.next()) {
          assertThat(out.put(rs.getString(1).replace('-', '_'), rs.getDouble(2))).as("one row per site").isNull();
        }
      }
    }
    return out;
  }

  /** GET of both /metrics, as curl would, passes promtool check metrics: the format always, the lint for ours. */
  private void checkEndpoints(int jobPort, int generatorPort) {
    String job = get("http://127.0.0.1:" + jobPort + "/metrics");
    assertThat(job).contains("flink_jobmanager_job_uptime", P + "fleet_power_watts", P + "dead_letters_LATE",
        P + "window_emission_delay_seconds{", P + "windows_emitted", "flink_taskmanager_job_task_operator_numRecordsIn");
    MonitoringFiles.Run jobLint = MonitoringFiles.promtool(job, "check", "metrics");
    // Exit 1 is a format error; 3 means style findings only. Flink's and Kafka's own names (numRecordsIn,
    // records_lag_max as a gauge...) are camelCase or keep _total on gauges; FleetPulse's own have none.
    assertThat(jobLint.exit()).as(jobLint.output()).isIn(0, 3);
    assertThat(jobLint.output().lines().filter(l -> l.contains("fleetpulse"))).as(jobLint.output()).isEmpty();
    String generator = get("http://127.0.0.1:" + generatorPort + "/metrics");
    MonitoringFiles.Run generatorLint = MonitoringFiles.promtool(generator, "check", "metrics");
    assertThat(generatorLint.exit()).as(generatorLint.output()).isZero();
    assertThat(generatorLint.output()).isBlank();
    long series = job.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
    log.add(String.format("job /metrics: %,d bytes, %,d samples, promtool style findings on Flink's own names: %d",
        job.length(), series, jobLint.output().lines().count()));
    System.out.printf("monitoring-it: job /metrics %,d bytes, %,d samples (%d promtool style findings, all on "
        + "Flink's and Kafka's own names); generator /metrics %,d bytes%n", job.length(), series,
        jobLint.output().lines().count(), generator.length());
  }

  private static void checkEveryDashboardAndRuleExpression(Prometheus prometheus) throws Exception {
    // Rules are loaded from the repository's files and evaluated every second: healthy once evaluated.
    Awaitility.await("every rule evaluated and healthy").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          List<String> unhealthy = new ArrayList<>();
          int rules = 0;
          for (JsonNode group : prometheus.api("/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
              rules++;
              if (!rule.path("health").asText().equals("ok")) {
                unhealthy.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " "
                    + rule.path("lastError").asText());
              }
            }
          }
          assertThat(rules).isEqualTo(MonitoringFiles.ruleExpressions().size());
          assertThat(unhealthy).isEmpty();
        });

    Set<String> known = new LinkedHashSet<>();
    prometheus.api("/api/v1/label/__name__/values").path("data").forEach(n -> known.add(n.asText()));
    List<String> problems = new ArrayList<>();
    List<MonitoringFiles.Expression> all = new ArrayList<>(MonitoringFiles.dashboardExpressions());
    all.addAll(MonitoringFiles.ruleExpressions());
    for (MonitoringFiles.Expression e : all) {
      String promql = MonitoringFiles.substituteGrafanaVariables(e.promql());
      JsonNode answer = prometheus.query(promql);
      if (!answer.path("status").asText().equals("success")) {
        problems.add(e.where() + ": " + answer.path("error").asText() + " in " + promql);
        continue;
      }
      for (String metric : MonitoringFiles.metricNames(promql)) {
        if (!known.contains(metric)) problems.add(e.where() + ": no metric " + metric + " in Prometheus");
      }
      // A panel that shows nothing against a running pipeline is a wrong query (alerts only exist while firing).
      boolean shows = (e.where().contains(" panel ") || e.where().contains(" variable ")) && !promql.contains("ALERTS");
      if (shows && answer.path("data").path("result").isEmpty()) problems.add(e.where() + ": no data for " + promql);
    }
    assertThat(problems).isEmpty();
    assertThat(all).hasSizeGreaterThan(50);
  }

  private void measure(Prometheus prometheus, int jobPort) throws Exception {
    double samples = prometheus.vector("max(scrape_samples_post_metric_relabeling{job=\"flink\"})").get(0).value();
    double seconds = prometheus.vector("max(scrape_duration_seconds{job=\"flink\"})").get(0).value();
    double fleetSeries = prometheus.vector("count({__name__=~\"" + P + "(site|generation|fleet)_.+\"})").get(0)
        .value();
    long head = prometheus.api("/api/v1/status/tsdb").path("data").path("headStats").path("numSeries").asLong();
    System.out.printf("monitoring-it: scrape of the job on :%d: %.0f samples in %.3f s; fleet gauge series %.0f; "
        + "Prometheus head series %d%n", jobPort, samples, seconds, fleetSeries, head);
    // 3 sites, 1 generation (the built-in fleet is all trn2) and the fleet, 12 gauges each.
    assertThat(fleetSeries).isEqualTo(5 * 12);
  }

  private static String get(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(url).isEqualTo(200);
      return r.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One sample of an instant vector. */
  record Sample(JsonNode labels, double value) {}

  /** Debian's prometheus as a child process on a free loopback port, killed when closed. */
  static final class Prometheus implements AutoCloseable {
    private final Process process;
    private final String url;

    private Prometheus(Process process, String url) {
      this.process = process;
      this.url = url;
    }

    /**
     * The repository's prometheus-local.yml with its two targets pointed at this run, scraped and evaluated every
     * second, its rule files read from the repository; storage and log under {@code dir}.
     */
    static Prometheus start(Path dir, int jobPort, int generatorPort) throws Exception {
      assertThat(MonitoringFiles.PROMETHEUS).as("Debian's prometheus runs this test: sudo apt-get install "
          + "prometheus").exists();
      Files.createDirectories(dir);
      String config = Files.readString(MonitoringFiles.PROMETHEUS_DIR.resolve("prometheus-local.yml"));
      Map<String, String> edits = new java.util.LinkedHashMap<>();
      edits.put("scrape_interval: 15s", "scrape_interval: 1s");
      edits.put("evaluation_interval: 15s", "evaluation_interval: 1s");
      edits.put("rules/*.yml", MonitoringFiles.PROMETHEUS_DIR.resolve("rules") + "/*.yml");
      edits.put("localhost:9249", "127.0.0.1:" + jobPort);
      edits.put("localhost:9250", "127.0.0.1:" + generatorPort);
      for (var e : edits.entrySet()) {
        assertThat(config.split(java.util.regex.Pattern.quote(e.getKey()), -1)).as("prometheus-local.yml has %s "
            + "once", e.getKey()).hasSize(2);
        config = config.replace(e.getKey(), e.getValue());
      }
      Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
      int port = LocalMachine.freePort();
      Path logFile = dir.resolve("prometheus.log");
      Process process = new ProcessBuilder(MonitoringFiles.PROMETHEUS.toString(), "--config.file=" + file,
          "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
          "--storage.tsdb.retention.time=1h")
          .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
      Prometheus p = new Prometheus(process, "http://127.0.0.1:" + port);
      try {
        Awaitility.await("Prometheus ready").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
            .ignoreExceptions().until(() -> {
              if (!process.isAlive()) throw new AssertionError("prometheus exited:\n" + Files.readString(logFile));
              return HTTP.send(HttpRequest.newBuilder(URI.create(p.url + "/-/ready")).build(),
                  HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            });
      } catch (Exception | Error e) {
        p.close();
        throw e;
      }
      return p;
    }

    JsonNode api(String path) throws Exception {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return MonitoringFiles.JSON.readTree(r.body());
    }

    /** /api/v1/query of {@code promql} now: the whole answer, status and error included. */
    JsonNode query(String promql) throws Exception {
      return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** The samples of an instant query that must succeed. */
    List<Sample> vector(String promql) throws Exception {
      JsonNode answer = query(promql);
      assertThat(answer.path("status").asText()).as(promql + ": " + answer).isEqualTo("success");
      List<Sample> out = new ArrayList<>();
      for (JsonNode r : answer.path("data").path("result")) {
        out.add(new Sample(r.path("metric"), Double.parseDouble(r.path("value").path(1).asText())));
      }
      return out;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
