package io.fleetpulse.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Offsets of a topic as Kafka's admin API reports them: how far producers wrote and a consumer group committed. */
public final class TopicProgress {

  private final Admin admin;
  private final String topic;

  public TopicProgress(Admin admin, String topic) {
    this.admin = admin;
    this.topic = topic;
  }

  /** Records written: the sum of the partitions' end offsets. */
  public long end() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = partitions().stream()
        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
        .mapToLong(i -> i.offset()).sum();
  }

  /**
   * Records the group has committed. The Flink Kafka source commits on each completed checkpoint, so this is how
   * much of the topic is inside a checkpoint (a restore never rewinds it, only a restart from an older checkpoint).
   */
  public long committed(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset()).sum();
  }

  /** The node that coordinates the group: it holds the group's offsets, so its loss is the hardest for a consumer. */
  public int coordinatorOf(String group) throws Exception {
    return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).coordinator().id();
  }

  private List<TopicPartition> partitions() throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
        .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }
}
