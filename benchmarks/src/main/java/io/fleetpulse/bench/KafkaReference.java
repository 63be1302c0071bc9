package io.fleetpulse.bench;

import io.fleetpulse.schema.AvroCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A bare consumer reading the benchmark's topic alongside the dashboard, with the dashboard's isolation level:
 * the time until it has read a whole window is the share of the delivery lag that Kafka itself takes.
 */
final class KafkaReference implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final int perWindow;
  private final long firstWindow;
  private final long windowMs;
  private final Map<Long, Long> sentAt;
  private final long[] lagNanos;
  private final Thread thread;
  private volatile boolean stopping;

  KafkaReference(String bootstrap, String topic, int perWindow, long firstWindow, long windowMs,
      Map<Long, Long> sentAt, long[] lagNanos) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.perWindow = perWindow;
    this.firstWindow = firstWindow;
    this.windowMs = windowMs;
    this.sentAt = sentAt;
    this.lagNanos = lagNanos;
    this.thread = new Thread(this::run, "bench-kafka-reference");
  }

  void start() {
    List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(tps);
    consumer.seekToEnd(tps);
    tps.forEach(consumer::position); // resolve the end now, before the first record is written
    thread.start();
  }

  private void run() {
    int[] seen = new int[lagNanos.length];
    try {
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          long start = AvroCodec.WINDOW_METRICS.decode(r.value()).getWindowStart().toEpochMilli();
          int w = (int) ((start - firstWindow) / windowMs);
          if (w >= 0 && w < seen.length && ++seen[w] == perWindow) lagNanos[w] = System.nanoTime() - sentAt.get(start);
        }
      }
    } catch (WakeupException e) {
      // close()
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    consumer.wakeup();
    thread.join();
  }
}
