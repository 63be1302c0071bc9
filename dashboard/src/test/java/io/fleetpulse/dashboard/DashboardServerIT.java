package io.fleetpulse.dashboard;

import static io.fleetpulse.dashboard.EventRecorder.starting;
import static io.fleetpulse.dashboard.TestRecords.MINUTE;
import static io.fleetpulse.dashboard.TestRecords.T0;
import static io.fleetpulse.dashboard.TestRecords.alert;
import static io.fleetpulse.dashboard.TestRecords.rollup;
import static io.fleetpulse.dashboard.TestRecords.send;
import static io.fleetpulse.dashboard.TestRecords.ultraserver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.testing.SseConnection;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.WindowMetrics;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server against a real broker: what a browser receives over SSE, and how it copes with trouble. */
@Timeout(120)
class DashboardServerIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static EmbeddedKafkaBroker kafka;
  static KafkaProducer<byte[], byte[]> producer;
  static HttpClient http = HttpClient.newHttpClient();
  static int topicCounter;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.builder().build().start();
    producer = TestRecords.producer(kafka.bootstrapServers());
  }

  @AfterAll
  static void stopBroker() {
    producer.close();
    kafka.close();
  }

  /** Fresh topic names per test, so tests do not see each other's records. */
  record TestTopics(String ultraserver, String site, String fleet, String alerts) {
    List<String> metrics() {
      return List.of(ultraserver, site, fleet);
    }
  }

  static TestTopics topics(boolean createSiteTopic) {
    int n = ++topicCounter;
    TestTopics t = new TestTopics("us" + n, "site" + n, "fleet" + n, "alerts" + n);
    kafka.createTopic(t.ultraserver(), 3, Map.of());
    kafka.createTopic(t.fleet(), 1, Map.of());
    kafka.createTopic(t.alerts(), 1, Map.of());
    if (createSiteTopic) kafka.createTopic(t.site(), 1, Map.of());
    return t;
  }

  static DashboardSettings settings(String bootstrap, TestTopics t) {
    return DashboardSettings.defaults(bootstrap)
        .withListener("127.0.0.1", 0)
        .withTopics(t.metrics(), t.alerts())
        .withIntervals(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(50));
  }

  @Test
  void aNewBrowserGetsTheRecentWindowsAtOnceWithTheFiguresOfTheRecords() throws Exception {
    TestTopics t = topics(true);
    List<WindowMetrics> written = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      for (int us = 0; us < 6; us++) {
        WindowMetrics m = ultraserver(T0 + w * MINUTE, us, us % 2 == 0 ? "us-in" : "us-ms", 0.1f * (us + 1), 0.05f * w);
        written.add(m);
        send(producer, t.ultraserver(), m);
      }
    }
    // Written before the dashboard starts: it must find them in Kafka (--history), not only what comes next.
    try (DashboardServer server = DashboardServer.start(settings(kafka.bootstrapServers(), t));
        EventRecorder first = new EventRecorder(http, server.url(), null)) {
      first.awaitWindow(w -> starting(T0 + 3 * MINUTE).test(w) && w.at("/fleet/ultraservers").asInt() == 6);

      try (EventRecorder browser = new EventRecorder(http, server.url(), null)) {
        SseConnection.Event snapshot = browser.next();
        assertThat(snapshot.type()).isEqualTo("snapshot");
        JsonNode windows = JSON.readTree(snapshot.data()).get("windows");
        assertThat(windows).hasSize(4);
        for (int w = 0; w < 4; w++) {
          long start = T0 + w * MINUTE;
          JsonNode fleet = windows.get(w).get("fleet");
          List<WindowMetrics> ofWindow = written.stream()
              .filter(m -> m.getWindowStart().toEpochMilli() == start).toList();
          assertThat(windows.get(w).get("windowStart").asLong()).isEqualTo(start);
          assertThat(fleet.get("ultraservers").asInt()).isEqualTo(6);
          assertThat(fleet.get("utilizationAvg").asDouble()).isCloseTo(
              sum(ofWindow, WindowMetrics::getUtilizationSum) / sum(ofWindow, m -> (double) m.getSamples()),
              within(1e-12));
          assertThat(fleet.get("facilityEnergyKwh").asDouble())
              .isCloseTo(sum(ofWindow, WindowMetrics::getFacilityEnergyKwh), within(1e-12));
        }
      }
    }
  }

  @Test
  void aBrowserThatReconnectsWithItsLastEventIdGetsOnlyWhatItMissed() throws Exception {
    TestTopics t = topics(true);
    send(producer, t.ultraserver(), ultraserver(T0, 1, "us-in", 0.5f));
    try (DashboardServer server = DashboardServer.start(settings(kafka.bootstrapServers(), t))) {
      String lastId;
      try (EventRecorder browser = new EventRecorder(http, server.url(), null)) {
        lastId = browser.awaitWindow(starting(T0)).event().id();
      }
      send(producer, t.ultraserver(), ultraserver(T0 + MINUTE, 1, "us-in", 0.6f));
      send(producer, t.alerts(), alert("straggler-1", AlertStatus.OPEN, T0 + MINUTE, "chip 449 slow"));
      // Wait until the server has published both, with a browser that is not the one under test.
      try (EventRecorder watcher = new EventRecorder(http, server.url(), null)) {
        watcher.awaitWindow(starting(T0 + MINUTE));
        watcher.awaitAlert(a -> a.get("alertId").asText().equals("straggler-1"));
      }

      try (EventRecorder back = new EventRecorder(http, server.url(), lastId)) {
        SseConnection.Event missedWindow = back.nextData();
        SseConnection.Event missedAlert = back.nextData();
        assertThat(missedWindow.type()).isEqualTo("window");
        assertThat(JSON.readTree(missedWindow.data()).get("windowStart").asLong()).isEqualTo(T0 + MINUTE);
        assertThat(missedAlert.type()).isEqualTo("alert");
        assertThat(JSON.readTree(missedAlert.data()).get("summary").asText()).isEqualTo("chip 449 slow");
      }
      // An id of another server run (or too old to replay) gets the whole snapshot instead.
      try (EventRecorder stranger = new EventRecorder(http, server.url(), "0badc0de:3")) {
        SseConnection.Event first = stranger.nextData();
        assertThat(first.type()).isEqualTo("snapshot");
        assertThat(JSON.readTree(first.data()).get("windows")).hasSize(2);
      }
    }
  }

  @Test
  void rollUpTopicsThatAppearLaterAreReadAndTakePrecedence() throws Exception {
    TestTopics t = topics(false); // no site topic yet
    try (DashboardServer server = DashboardServer.start(settings(kafka.bootstrapServers(), t));
        EventRecorder browser = new EventRecorder(http, server.url(), null)) {
      send(producer, t.ultraserver(), ultraserver(T0, 1, "us-pa", 0.2f, 0.4f));
      JsonNode derived = browser.awaitWindow(starting(T0)).node();
      assertThat(derived.at("/sites/0/source").asText()).isEqualTo("DERIVED");

      kafka.createTopic(t.site(), 1, Map.of());
      WindowMetrics site = rollup(ultraserver(T0, 0, "x", 0.9f, 0.9f, 0.9f), AggregationLevel.SITE, "us-pa");
      send(producer, t.site(), site);
      JsonNode fromRollup = browser.awaitWindow(w -> w.at("/sites/0/source").asText().equals("ROLLUP")).node();
      assertThat(fromRollup.at("/sites/0/id").asText()).isEqualTo("us-pa");
      assertThat(fromRollup.at("/sites/0/utilizationAvg").asDouble()).isCloseTo(0.9, within(1e-6));
      // The fleet has no roll-up: still derived from the UltraServer window.
      assertThat(fromRollup.at("/fleet/source").asText()).isEqualTo("DERIVED");
      assertThat(fromRollup.at("/fleet/utilizationAvg").asDouble()).isCloseTo(0.3, within(1e-6));
    }
  }

  @Test
  void unreadableRecordsAreSkippedCountedAndDoNotStopTheStream() throws Exception {
    TestTopics t = topics(true);
    try (DashboardServer server = DashboardServer.start(settings(kafka.bootstrapServers(), t));
        EventRecorder browser = new EventRecorder(http, server.url(), null)) {
      send(producer, t.ultraserver(), "1", new byte[] {1, 2, 3});
      send(producer, t.ultraserver(), WindowMetrics.newBuilder(ultraserver(T0, 1, "us-in", 0.5f))
          .setUltraserverId(-1).build());
      send(producer, t.alerts(), "a", "not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      send(producer, t.ultraserver(), ultraserver(T0, 2, "us-in", 0.5f));

      browser.awaitWindow(w -> w.at("/wasteful/0/ultraserverId").asInt() == 2);
      JsonNode status = browser.awaitStatus(s -> s.get("skipped").asInt() == 3);
      assertThat(status.get("lastSkipped").asText()).contains(t.alerts() + "/0/0", "not_avro");
      assertThat(status.at("/skippedByReason/not_avro").asInt()).isEqualTo(2);
      assertThat(status.at("/skippedByReason/bad_id").asInt()).isEqualTo(1);
      assertThat(server.recordsSkipped()).isEqualTo(3);
      assertThat(server.recordsSkippedByReason()).containsEntry("bad_id", 1L);
    }
  }

  @Test
  void aWindowSaysWhenItArrivedAndTheStatusHowLateTheWindowsAre() throws Exception {
    TestTopics t = topics(true);
    try (DashboardServer server = DashboardServer.start(settings(kafka.bootstrapServers(), t));
        EventRecorder browser = new EventRecorder(http, server.url(), null)) {
      // Records already in Kafka when the dashboard first looks are history: write once it reads the partitions.
      browser.awaitStatus(s -> s.get("kafka").asText().startsWith("reading"));
      // The minute that closed last, as the job would write it: emitted a moment after it closed.
      long now = System.currentTimeMillis();
      long start = now / MINUTE * MINUTE - MINUTE;
      long emitted = now - 200;
      long before = System.currentTimeMillis();
      send(producer, t.ultraserver(), WindowMetrics.newBuilder(ultraserver(start, 1, "us-in", 0.5f))
          .setEmittedAt(java.time.Instant.ofEpochMilli(emitted)).build());

      JsonNode w = browser.awaitWindow(starting(start)).node();
      long after = System.currentTimeMillis();
      assertThat(w.get("windowEnd").asLong()).isEqualTo(start + MINUTE);
      assertThat(w.get("receivedAt").asLong()).isBetween(before, after);
      assertThat(w.get("emittedAt").asLong()).isEqualTo(emitted);
      assertThat(w.get("live").asBoolean()).isTrue();
      assertThat(w.get("publishedAt").asLong()).isBetween(w.get("receivedAt").asLong(), after);

      JsonNode latency = browser.awaitStatus(s -> s.at("/latency/clock").asText().equals("real-time")).get("latency");
      long delay = w.get("receivedAt").asLong() - (start + MINUTE);
      assertThat(latency.get("lastDelayMs").asLong()).isEqualTo(delay);
      assertThat(latency.get("lastJobDelayMs").asLong()).isEqualTo(emitted - (start + MINUTE));
      assertThat(latency.at("/delayMs/p50").asLong()).isEqualTo(delay);
      assertThat(latency.at("/delayMs/max").asLong()).isEqualTo(delay);
      assertThat(latency.at("/jobDelayMs/p95").asLong()).isEqualTo(emitted - (start + MINUTE));
      assertThat(latency.get("newestWindowAgeMs").asLong()).isBetween(delay, delay + 30_000);
    }
  }

  @Test
  void windowsReadBackOnStartAreNotTakenForTheStreamsDelay() throws Exception {
    TestTopics t = topics(true);
    long start = System.currentTimeMillis() / MINUTE * MINUTE - 10 * MINUTE;
    send(producer, t.ultraserver(), ultraserver(start, 1, "us-in", 0.5f));
    try (DashboardServer server = DashboardServer.start(settings(kafka.bootstrapServers(), t));
        EventRecorder browser = new EventRecorder(http, server.url(), null)) {
      JsonNode w = browser.awaitWindow(starting(start)).node();
      assertThat(w.get("live").asBoolean()).isFalse();
      assertThat(w.get("emittedAt").isNull()).isTrue();
      JsonNode latency = browser.awaitStatus(s -> s.has("latency")).get("latency");
      assertThat(latency.get("clock").asText()).isEqualTo("unknown");
      assertThat(latency.get("delayMs").isNull()).isTrue();
    }
  }

  @Test
  void theKafkaConsumerCarriesOnAfterTheBrokerRestarts(@TempDir Path logDir) throws Exception {
    int port = io.fleetpulse.platform.LocalMachine.freePort();
    TestTopics t = new TestTopics("restart.us", "restart.site", "restart.fleet", "restart.alerts");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(logDir).port(port).build().start();
    try (DashboardServer server = DashboardServer.start(settings(broker.bootstrapServers(), t));
        EventRecorder browser = new EventRecorder(http, server.url(), null)) {
      broker.createTopic(t.ultraserver(), 2, Map.of());
      try (KafkaProducer<byte[], byte[]> p = TestRecords.producer(broker.bootstrapServers())) {
        send(p, t.ultraserver(), ultraserver(T0, 1, "us-in", 0.5f));
      }
      browser.awaitWindow(starting(T0));

      broker.close();
      broker = EmbeddedKafkaBroker.builder().logDir(logDir).port(port).build().start();
      try (KafkaProducer<byte[], byte[]> p = TestRecords.producer(broker.bootstrapServers())) {
        send(p, t.ultraserver(), ultraserver(T0 + MINUTE, 1, "us-in", 0.7f));
      }
      JsonNode after = browser.awaitWindow(starting(T0 + MINUTE)).node();
      assertThat(after.at("/fleet/utilizationAvg").asDouble()).isCloseTo(0.7, within(1e-6));
      // Read once each: the consumer resumed where it was, neither re-reading nor skipping.
      assertThat(server.recordsRead()).isEqualTo(2);
    } finally {
      broker.close();
    }
  }

  @Test
  void servesThePageAndTheChartLibraryLocallyOnLoopbackWithAStrictPolicy() throws Exception {
    TestTopics t = topics(true);
    assertThat(DashboardSettings.defaults("localhost:9092").bind()).isEqualTo("127.0.0.1");
    try (DashboardServer server = DashboardServer.start(settings(kafka.bootstrapServers(), t))) {
      assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
      HttpResponse<String> page = get(server.url());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
          assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
      assertThat(page.body()).contains("src=\"/vendor/uPlot.iife.min.js\"").doesNotContain("http://", "https://");

      HttpResponse<byte[]> uplot = http.send(HttpRequest.newBuilder(server.url().resolve("/vendor/uPlot.iife.min.js"))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(uplot.statusCode()).isEqualTo(200);
      try (InputStream webjar = getClass().getClassLoader()
          .getResourceAsStream("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")) {
        assertThat(uplot.body()).isEqualTo(webjar.readAllBytes());
      }
      assertThat(get(server.url().resolve("/app/dashboard.js")).statusCode()).isEqualTo(200);
      assertThat(get(server.url().resolve("/io/fleetpulse/dashboard/web/index.html")).statusCode()).isEqualTo(404);
      assertThat(get(server.url().resolve("/api/status")).body()).contains("\"staleAfterMs\":120000");
    }
  }

  @Test
  void aPortInUseFailsWithTheFlagToChange() throws Exception {
    TestTopics t = topics(true);
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      DashboardSettings s = settings(kafka.bootstrapServers(), t).withListener("127.0.0.1", taken.getLocalPort());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> DashboardServer.start(s))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--dashboard-port");
    }
  }

  static HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  static double sum(List<WindowMetrics> records, java.util.function.ToDoubleFunction<WindowMetrics> f) {
    return records.stream().mapToDouble(f).sum();
  }

}
