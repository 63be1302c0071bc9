package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.DecodeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds a partition's clock by reading ahead from the first record the job reads there (after a start or a restore),
 * so that even that first record is judged against the stream around it: a broken clock that happens to come first
 * must not become the partition's time. Reads at most {@value #RECORDS} records, for at most {@link #TIMEOUT}; a
 * partition that holds fewer records (a live stream) gives what it holds, and the clock then relies on the records
 * that follow.
 */
public final class KafkaLookAhead implements TelemetryReader.ClockSeed {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KafkaLookAhead.class);
  static final int RECORDS = 4096;
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HashMap<String, String> consumerConfig;
  private final TelemetryDecoder decoder;

  public KafkaLookAhead(String bootstrapServers, Map<String, String> clientProperties, TelemetryDecoder decoder) {
    this.consumerConfig = new HashMap<>(clientProperties);
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(RECORDS));
    consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.decoder = decoder;
  }

  @Override
  public long referenceAt(String topic, int partition, long offset) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    TopicPartition tp = new TopicPartition(topic, partition);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      long end = Math.min(offset + RECORDS, consumer.endOffsets(List.of(tp), TIMEOUT).get(tp));
      PartitionClock clock = new PartitionClock(0, Long.MAX_VALUE);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(tp, TIMEOUT) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() >= end) break;
          feed(clock, r);
        }
      }
      return clock.reference();
    } catch (RuntimeException e) {
      LOG.warn("could not read ahead in {} to seed its event-time clock ({}); judging from its own records", tp,
          e.toString());
      return Long.MIN_VALUE;
    }
  }

  private void feed(PartitionClock clock, ConsumerRecord<byte[], byte[]> r) {
    try {
      if (decoder.isProgressMarker(r.value())) {
        clock.onMarker(decoder.decodeMarker(r.value()), 0);
      } else {
        TelemetryRecord t = decoder.decode(r.topic(), r.partition(), r.offset(), r.key(), r.value());
        if (t.isValid()) clock.observe(t.reading.chipId, t.reading.eventTime);
      }
    } catch (DecodeException e) {
      // A bad marker says nothing about time.
    }
  }
}
