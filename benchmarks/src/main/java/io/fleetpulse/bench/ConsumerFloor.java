package io.fleetpulse.bench;

import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The floor the job's cost per sample is measured against: one thread, a plain Kafka consumer reading the same
 * topic from the same broker, decoding every sample with Avro's own decoder and adding it into its UltraServer's
 * minute (samples, utilization, energy): the least any job must do with each sample, with no framework around it.
 */
final class ConsumerFloor {

  private ConsumerFloor() {}

  /** Samples per second on one thread, reading the topic once from the start. */
  static double samplesPerSecond(String bootstrap, String topic, int ultraservers, long firstMinute, int minutes) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    long fp = AvroCodec.CHIP_SAMPLE.fingerprint();
    long[] samples = new long[ultraservers * minutes];
    double[] utilization = new double[ultraservers * minutes];
    double[] joules = new double[ultraservers * minutes];
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      long n = 0;
      long t0 = System.nanoTime();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (AvroCodec.fingerprintOf(r.value()) != fp) continue; // progress markers
          ChipSample s = AvroCodec.CHIP_SAMPLE.decode(r.value());
          int minute = (int) (s.getEventTime().toEpochMilli() / 60_000 - firstMinute);
          int i = s.getUltraserverId() * minutes + Math.max(0, Math.min(minutes - 1, minute));
          samples[i]++;
          utilization[i] += s.getUtilization();
          joules[i] += s.getPowerW() * s.getIntervalMs() / 1000.0;
          n++;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (samples.length > 0 && joules[0] < 0) throw new IllegalStateException("unreachable: keeps the sums alive");
      return n / seconds;
    }
  }
}
