package io.fleetpulse.bench;

import io.fleetpulse.platform.TopicReader;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

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
    long[] n = {0};
    long t0 = System.nanoTime();
    TopicReader.readToEnd(c, topic, r -> {
      if (AvroCodec.fingerprintOf(r.value()) != fp) return; // progress markers
      ChipSample s = AvroCodec.CHIP_SAMPLE.decode(r.value());
      int minute = (int) (s.getEventTime().toEpochMilli() / 60_000 - firstMinute);
      int i = s.getUltraserverId() * minutes + Math.max(0, Math.min(minutes - 1, minute));
      samples[i]++;
      utilization[i] += s.getUtilization();
      joules[i] += s.getPowerW() * s.getIntervalMs() / 1000.0;
      n[0]++;
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (samples.length > 0 && joules[0] < 0) throw new IllegalStateException("unreachable: keeps the sums alive");
    return n[0] / seconds;
  }
}
