package io.fleetpulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerIT {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path logDir;

  @Test
  void producesAndConsumesTenThousandRecordsThroughAConsumerGroup() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(logDir).build().start()) {
      assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
      kafka.createTopic("telemetry", 3, Map.of());
      kafka.createTopic("telemetry", 3, Map.of()); // idempotent

      Map<String, String> sent = produce(kafka, "telemetry", 10_000);

      List<ConsumerRecord<String, String>> received = new ArrayList<>();
      Map<String, Object> config = consumerConfig(kafka);
      config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-group");
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
        consumer.subscribe(List.of("telemetry"));
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (received.size() < sent.size() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(500)).forEach(received::add);
        }
        consumer.commitSync();
      }

      assertThat(received).hasSize(10_000);
      Map<String, String> receivedByKey = new HashMap<>();
      received.forEach(r -> receivedByKey.put(r.key(), r.value()));
      assertThat(receivedByKey).isEqualTo(sent);
      assertThat(received).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
      assertOffsetsAreDenseFromZeroPerPartition(received);
    }
  }

  @Test
  void topicsGetRequestedPartitionsReplicationOneAndNoTimeRetention() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
         Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      kafka.createTopics(Map.of("a", 3, "b", 1));
      kafka.createTopic("c", 2, Map.of("cleanup.policy", "compact"));

      Map<String, TopicDescription> topics = admin.describeTopics(List.of("a", "b", "c")).allTopicNames().get();
      assertThat(topics.get("a").partitions()).hasSize(3);
      assertThat(topics.get("b").partitions()).hasSize(1);
      assertThat(topics.get("c").partitions()).hasSize(2);
      assertThat(topics.get("a").partitions().get(0).replicas()).hasSize(1);

      ConfigResource a = new ConfigResource(ConfigResource.Type.TOPIC, "a");
      ConfigResource c = new ConfigResource(ConfigResource.Type.TOPIC, "c");
      var configs = admin.describeConfigs(List.of(a, c)).all().get();
      assertThat(configs.get(a).get("retention.ms").value()).isEqualTo("-1");
      assertThat(configs.get(c).get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void aNewBrokerOnTheSameLogDirReadsTheEarlierRecords() throws Exception {
    Map<String, String> sent;
    try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().logDir(logDir).build().start()) {
      first.createTopic("durable", 3, Map.of());
      sent = produce(first, "durable", 1_000);
    }

    try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().logDir(logDir).build().start()) {
      second.createTopic("durable", 3, Map.of()); // already there: must neither fail nor reset it
      List<ConsumerRecord<String, String>> received = readAll(second, "durable", 3, sent.size());

      Map<String, String> receivedByKey = new HashMap<>();
      received.forEach(r -> receivedByKey.put(r.key(), r.value()));
      assertThat(received).hasSize(sent.size());
      assertThat(receivedByKey).isEqualTo(sent);
    }
  }

  @Test
  void closeIsIdempotentAndDeletesATempLogDirItCreated() {
    EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start();
    Path ownDir = kafka.logDir();
    assertThat(ownDir).isDirectory();

    kafka.close();
    kafka.close();

    assertThat(Files.exists(ownDir)).isFalse();
    assertThatThrownBy(() -> kafka.createTopic("late", 1, Map.of())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeKeepsALogDirTheCallerProvided() {
    EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(logDir).build().start();
    kafka.close();
    kafka.close();
    assertThat(logDir.resolve("meta.properties")).isRegularFile();
  }

  private static Map<String, String> produce(EmbeddedKafkaBroker kafka, String topic, int count) throws Exception {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    Map<String, String> sent = new HashMap<>();
    List<Future<RecordMetadata>> acks = new ArrayList<>(count);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < count; i++) {
        String key = "key-" + i;
        String value = "value-" + i + "-" + "x".repeat(i % 50);
        acks.add(producer.send(new ProducerRecord<>(topic, key, value)));
        sent.put(key, value);
      }
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        assertThat(ack.get(30, TimeUnit.SECONDS).hasOffset()).isTrue();
      }
    }
    return sent;
  }

  // Without a group: the restart test should prove the data is on disk, not that offsets were committed.
  private static List<ConsumerRecord<String, String>> readAll(EmbeddedKafkaBroker kafka, String topic,
                                                              int partitions, int expected) {
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(kafka))) {
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (received.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(received::add);
      }
    }
    return received;
  }

  private static Map<String, Object> consumerConfig(EmbeddedKafkaBroker kafka) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return config;
  }

  // Idempotent producer: no duplicates and no gaps, so each partition holds exactly offsets 0..n-1.
  private static void assertOffsetsAreDenseFromZeroPerPartition(List<ConsumerRecord<String, String>> records) {
    Map<Integer, List<Long>> offsets = new HashMap<>();
    records.forEach(r -> offsets.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.offset()));
    offsets.forEach((partition, seen) -> {
      Set<Long> distinct = new HashSet<>(seen);
      assertThat(distinct).as("distinct offsets of partition %d", partition).hasSameSizeAs(seen);
      assertThat(seen.stream().mapToLong(Long::longValue).max().orElseThrow())
          .as("highest offset of partition %d", partition).isEqualTo(seen.size() - 1L);
    });
  }
}
