package io.fleetpulse.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a new topic's partitions answer at their leader. A producer that writes before then can lose its first
 * batch to NOT_LEADER while later ones land, and retry it out of sequence forever; ProducerPerformance does not guard
 * against that, so both benchmarked producers start on topics that are ready.
 */
final class TopicReadiness {

  private TopicReadiness() {}

  static void await(String bootstrapServers, String topic, int partitions, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
        .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
    Exception last = null;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (System.nanoTime() < deadline) {
        try {
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          last = e;
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
        }
      }
    }
    throw new IllegalStateException("topic " + topic + " not ready within " + timeout.toSeconds() + " s", last);
  }
}
