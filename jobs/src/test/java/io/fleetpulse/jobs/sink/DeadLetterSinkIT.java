package io.fleetpulse.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.schema.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A dead letter Kafka refuses for what it is (here: a topic whose records may be at most 2,000 bytes) is counted and
 * skipped, and the sink goes on writing the others: it never fails the job, so the job can never loop on it.
 */
@Timeout(120)
class DeadLetterSinkIT {

  /** Random bytes: the producer compresses, and zeros would shrink below any limit. */
  static DeadLetter letter(int valueBytes, String detail) {
    byte[] value = new byte[valueBytes];
    new java.util.Random(valueBytes).nextBytes(value);
    return new DeadLetter(DeadLetterReason.MALFORMED, detail, "fleet.telemetry", 1, 42,
        "k".getBytes(StandardCharsets.UTF_8), value);
  }

  @Test
  void aDeadLetterTheTopicRefusesIsCountedAndSkippedAndTheRestAreWritten() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
      kafka.createTopic("dlq", 1, Map.of("max.message.bytes", "2000"));
      DeadLetterSink sink = new DeadLetterSink(kafka.bootstrapServers(), Map.of(), "dlq", 128 * 1024);
      SimpleCounter unwritable = new SimpleCounter();
      SimpleCounter truncated = new SimpleCounter();
      try (SinkWriter<DeadLetter> writer = sink.writer(unwritable, truncated)) {
        writer.write(letter(10, "small"), null);
        writer.write(letter(50_000, "too large for this topic"), null);
        writer.write(letter(20, "small again"), null);
        writer.flush(false); // a checkpoint: must not fail
      }
      assertThat(unwritable.getCount()).isEqualTo(1);
      assertThat(truncated.getCount()).isZero();
      assertThat(details(kafka.bootstrapServers())).containsExactly("small", "small again");
    }
  }

  @Test
  void aValueOverTheBoundIsCutAndSaysSo() {
    var record = DeadLetterRecords.toRecord(letter(300_000, "huge"), "dlq", 128 * 1024);
    assertThat(record.value()).hasSize(128 * 1024);
    assertThat(new String(record.headers().lastHeader(DeadLetterRecords.HEADER_TRUNCATED).value(),
        StandardCharsets.UTF_8)).isEqualTo("value: first 131072 of 300000 bytes");
    assertThat(new String(record.headers().lastHeader(DeadLetterRecords.HEADER_SOURCE).value(),
        StandardCharsets.UTF_8)).isEqualTo("fleet.telemetry/1/42");
    assertThat(new DeadLetter(DeadLetterReason.FUTURE, "x".repeat(10_000), "t", 0, 0, null, null).detail)
        .hasSizeLessThan(DeadLetter.MAX_DETAIL_CHARS + 30);
  }

  static List<String> details(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("dlq", 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      List<String> out = new ArrayList<>();
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          out.add(new String(r.headers().lastHeader(DeadLetterRecords.HEADER_DETAIL).value(), StandardCharsets.UTF_8));
        }
      }
      return out;
    }
  }
}
