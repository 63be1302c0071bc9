package io.fleetpulse.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic once, from its first offset to the end offsets it has when the read starts, without a group. */
public final class TopicReader {

  private TopicReader() {}

  /** Hands every record of every partition to {@code each}; returns how many there were. */
  public static long readToEnd(Map<String, Object> consumerConfig, String topic,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    long n = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          each.accept(r);
          n++;
        }
      }
    }
    return n;
  }
}
