package io.fleetpulse.dashboard;

import static io.fleetpulse.dashboard.EventRecorder.starting;
import static io.fleetpulse.dashboard.TestRecords.MINUTE;
import static io.fleetpulse.dashboard.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11 through a real broker: every kind of hostile record written with an ordinary Kafka client into the
 * dashboard's topics, among good ones. The dashboard shows exactly what a second dashboard shows that read the
 * good records alone, counts each hostile one under its reason, and keeps reading.
 */
@Timeout(180)
class HostileRecordsIT {

  static EmbeddedKafkaBroker kafka;
  static KafkaProducer<byte[], byte[]> producer;
  static final HttpClient HTTP = HttpClient.newHttpClient();

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

  static DashboardServerIT.TestTopics topics(String prefix) {
    DashboardServerIT.TestTopics t = new DashboardServerIT.TestTopics(prefix + ".us", prefix + ".site",
        prefix + ".fleet", prefix + ".alerts");
    kafka.createTopics(Map.of(t.ultraserver(), 3, t.site(), 1, t.fleet(), 1, t.alerts(), 1));
    return t;
  }

  static void write(DashboardServerIT.TestTopics t, List<HostileRecords.Written> records) {
    for (HostileRecords.Written w : records) {
      String topic = w.topic() == HostileRecords.Topic.ALERTS ? t.alerts() : t.ultraserver();
      try {
        producer.send(new ProducerRecord<>(topic, w.key().getBytes(StandardCharsets.UTF_8), w.value())).get();
      } catch (Exception e) {
        throw new IllegalStateException("cannot write to " + topic, e);
      }
    }
  }

  /** One more good window, after everything else: once a browser has it, everything before it was published. */
  static void writeSentinel(DashboardServerIT.TestTopics t) {
    TestRecords.send(producer, t.ultraserver(), TestRecords.ultraserver(T0 + HostileRecords.WINDOWS * MINUTE, 0,
        HostileRecords.SITE_A, 0.3f));
  }

  @Test
  void everyHostileRecordIsSkippedUnderItsReasonAndTheFiguresAreThoseOfTheGoodRecordsAlone() throws Exception {
    List<HostileRecords.Case> cases = HostileRecords.cases();
    DashboardServerIT.TestTopics clean = topics("clean");
    DashboardServerIT.TestTopics attacked = topics("attacked");
    try (DashboardServer cleanServer = DashboardServer.start(DashboardServerIT.settings(kafka.bootstrapServers(), clean));
        DashboardServer server = DashboardServer.start(DashboardServerIT.settings(kafka.bootstrapServers(), attacked));
        EventRecorder cleanBrowser = new EventRecorder(HTTP, cleanServer.url(), null);
        EventRecorder browser = new EventRecorder(HTTP, server.url(), null)) {
      write(clean, HostileRecords.good());
      writeSentinel(clean);

      // Records of different partitions are read in no set order: each batch is read before the next is written.
      List<List<HostileRecords.Written>> batches = HostileRecords.batches(cases);
      write(attacked, batches.get(0));
      browser.awaitWindow(w -> starting(T0).test(w) && w.at("/fleet/ultraservers").asInt() == 6);
      int written = batches.get(0).size();
      for (List<HostileRecords.Written> batch : batches.subList(1, 3)) {
        write(attacked, batch);
        written += batch.size();
        long expected = written;
        browser.awaitStatus(s -> s.get("records").asLong() == expected);
      }
      writeSentinel(attacked);
      long sentinel = T0 + HostileRecords.WINDOWS * MINUTE;
      browser.awaitWindow(starting(sentinel));
      cleanBrowser.awaitWindow(starting(sentinel));

      JsonNode shown = EventRecorder.parse(DashboardServerIT.get(server.url().resolve("/api/snapshot")).body());
      JsonNode expected = EventRecorder.parse(DashboardServerIT.get(cleanServer.url().resolve("/api/snapshot")).body());
      assertThat(expected.get("windows")).hasSize(HostileRecords.WINDOWS + 1);
      assertThat(expected.get("alerts")).hasSize(2);
      SameFigures.assertSame(shown.get("windows"), expected.get("windows"));
      SameFigures.assertSame(shown.get("alerts"), expected.get("alerts"));
      // The tenant view: the good tenants' window, and nothing of the hostile tenant records.
      assertThat(expected.at("/tenants/windowStart").asLong()).isEqualTo(T0 + HostileRecords.TENANT_WINDOW * MINUTE);
      assertThat(expected.at("/tenants/byCost")).hasSize(2);
      SameFigures.assertSame(shown.get("tenants"), expected.get("tenants"));

      Map<SkipReason, Long> byReason = new EnumMap<>(SkipReason.class);
      cases.forEach(c -> byReason.merge(c.reason(), 1L, Long::sum));
      JsonNode status = EventRecorder.parse(DashboardServerIT.get(server.url().resolve("/api/status")).body());
      for (SkipReason r : SkipReason.values()) {
        assertThat(status.at("/skippedByReason/" + r.key()).asLong()).as("skipped as %s", r.key())
            .isEqualTo(byReason.getOrDefault(r, 0L));
      }
      assertThat(status.get("skipped").asLong()).isEqualTo(cases.size());
      assertThat(status.get("records").asLong()).isEqualTo(written + 1);
      // The stream line's newest window is the stream's, not the one 47 hours ahead.
      assertThat(status.get("latestWindowEnd").asLong()).isEqualTo(sentinel + MINUTE);
      assertThat(cleanServer.recordsSkipped()).isZero();
    }
  }

  @Test
  void theReaderKeepsGoingAfterAFloodOfJunk() throws Exception {
    DashboardServerIT.TestTopics t = topics("flood");
    try (DashboardServer server = DashboardServer.start(DashboardServerIT.settings(kafka.bootstrapServers(), t));
        EventRecorder browser = new EventRecorder(HTTP, server.url(), null)) {
      byte[] bomb = HostileRecords.cases().stream().filter(c -> c.name().equals("string length of 1 GiB"))
          .findFirst().orElseThrow().value();
      for (int i = 0; i < 2_000; i++) {
        producer.send(new ProducerRecord<>(t.ultraserver(), null, i % 2 == 0 ? bomb : new byte[] {(byte) i}));
      }
      producer.flush();
      TestRecords.send(producer, t.ultraserver(), TestRecords.ultraserver(T0, 3, "us-ms", 0.7f));

      JsonNode window = browser.awaitWindow(starting(T0)).node();
      assertThat(window.at("/fleet/ultraservers").asInt()).isEqualTo(1);
      JsonNode status = browser.awaitStatus(s -> s.get("records").asLong() == 2_001);
      assertThat(status.at("/skippedByReason/malformed").asLong()).isEqualTo(1_000);
      assertThat(status.at("/skippedByReason/not_avro").asLong()).isEqualTo(1_000);
      assertThat(status.at("/skippedByReason/internal").asLong()).isZero();
      assertThat(status.get("lastSkipped").asText()).hasSizeLessThan(Intake.MESSAGE_CHARS + 100);
    }
  }
}
