package io.fleetpulse.jobs.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a consumer group has committed every partition of a topic up to its current end: for the Flink
 * Kafka source, which commits on completed checkpoints, that means every record is inside a checkpoint. The demo
 * uses it to know when it can stop the job without losing a sample.
 */
public final class ConsumerCatchUp {

  private ConsumerCatchUp() {}

  /** Returns the number of records the group had to read; throws if {@code stillRunning} turns false first. */
  public static long await(String bootstrap, String group, String topic, Duration timeout, BooleanSupplier stillRunning,
      Consumer<String> log) throws Exception {
    return await(bootstrap, group, topic, 1.0, timeout, stillRunning, log)[1];
  }

  /**
   * Waits until the group has committed at least {@code fraction} of the topic's records (as of the call); returns
   * {committed, total} at that moment.
   */
  public static long[] await(String bootstrap, String group, String topic, double fraction, Duration timeout,
      BooleanSupplier stillRunning, Consumer<String> log) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, Long> end = endOffsets(admin, topic);
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      long deadline = System.nanoTime() + timeout.toNanos();
      long nextLog = 0;
      while (true) {
        long done = committed(admin, group, end);
        if (done >= Math.ceil(fraction * total)) return new long[] {done, total};
        if (!stillRunning.getAsBoolean()) {
          throw new IllegalStateException("the job stopped before reading all of " + topic);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the job had not read " + topic + " to its end after " + timeout);
        }
        if (System.nanoTime() > nextLog) {
          log.accept(String.format("job has checkpointed %,d of %,d samples", done, total));
          nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        }
        Thread.sleep(500);
      }
    }
  }

  /** How many records of the topic the group has not committed yet: the job's lag, in records. */
  public static long lag(Admin admin, String group, String topic) throws Exception {
    Map<TopicPartition, Long> end = endOffsets(admin, topic);
    return end.values().stream().mapToLong(Long::longValue).sum() - committed(admin, group, end);
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
    var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
        .get(topic).partitions();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> end = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
    return end;
  }

  /** Offsets are absolute, so this holds even after retention has deleted the oldest records. */
  private static long committed(Admin admin, String group, Map<TopicPartition, Long> end) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    long done = 0;
    for (var e : end.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      done += Math.min(e.getValue(), c == null ? 0 : c.offset());
    }
    return done;
  }
}
