package io.fleetpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class KafkaSampleSinkIT {

  static EmbeddedKafkaBroker kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.builder().build().start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void everySampleArrivesOnceKeyedByUltraServerInChipOrder() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "1280")));
    kafka.createTopic("telemetry", 4, Map.of());
    GeneratorStats stats;
    RunPlan plan =
        new RunPlan(Shard.WHOLE, Instant.parse("2026-11-25T00:00:00Z"), Duration.ofMinutes(5), Speedup.MAX);
    try (KafkaSampleSink sink = new KafkaSampleSink(kafka.bootstrapServers(), Map.of(), "telemetry", model, plan, "t")) {
      stats = new FleetGenerator(model, plan, sink, s -> {}).run();
      assertThat(sink.acknowledged()).isEqualTo(stats.samples());
    }

    List<ConsumerRecord<byte[], byte[]>> all = readAll("telemetry", 4);
    List<ConsumerRecord<byte[], byte[]>> records = samples(all);
    assertThat(records).hasSize((int) stats.samples());
    assertProgressMarkers(all, 4, 30);
    Map<Integer, Set<Integer>> partitionsOfUs = new HashMap<>();
    Map<Integer, Long> lastTimeOfChip = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      ChipSample s = AvroCodec.CHIP_SAMPLE.decode(r.value());
      assertThat(new String(r.key())).isEqualTo(Integer.toString(s.getUltraserverId()));
      // The sink predicts partitions this way to send each partition's first record alone.
      assertThat(r.partition()).isEqualTo(
          org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(r.key(), 4));
      partitionsOfUs.computeIfAbsent(s.getUltraserverId(), k -> new java.util.HashSet<>()).add(r.partition());
      Long last = lastTimeOfChip.put(s.getChipId(), s.getEventTime().toEpochMilli());
      if (last != null) assertThat(s.getEventTime().toEpochMilli()).isGreaterThan(last);
    }
    assertThat(partitionsOfUs.values()).allSatisfy(p -> assertThat(p).hasSize(1));
    assertThat(partitionsOfUs.values().stream().flatMap(Set::stream).collect(Collectors.toSet())).hasSize(4);
  }

  @Test
  void aShardWithFewerUltraServersThanPartitionsDeliversEverythingOnAFreshTopic() {
    // Two UltraServers, two keys, eight partitions: six partitions never get a record, and the sink must not wait
    // for them; each partition that does is written first by one acknowledged record (see KafkaSampleSink).
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "6400")));
    kafka.createTopic("fresh", 8, Map.of());
    GeneratorStats stats;
    RunPlan plan = new RunPlan(new io.fleetpulse.cli.Shard(0, 50), Instant.parse("2026-11-25T00:00:00Z"),
        Duration.ofMinutes(30), Speedup.MAX);
    try (KafkaSampleSink sink = new KafkaSampleSink(kafka.bootstrapServers(), Map.of(), "fresh", model, plan, "f")) {
      stats = new FleetGenerator(model, plan, sink, s -> {}).run();
      assertThat(sink.acknowledged()).isEqualTo(stats.samples()).isGreaterThan(20_000);
    }
    List<ConsumerRecord<byte[], byte[]>> all = readAll("fresh", 8);
    List<ConsumerRecord<byte[], byte[]>> records = samples(all);
    assertThat(records).hasSize((int) stats.samples());
    assertProgressMarkers(all, 8, 180);
    assertThat(records.stream().map(r -> new String(r.key())).distinct()).containsExactlyInAnyOrder("0", "1");
  }

  static List<ConsumerRecord<byte[], byte[]>> samples(List<ConsumerRecord<byte[], byte[]>> records) {
    long fp = AvroCodec.CHIP_SAMPLE.fingerprint();
    return records.stream().filter(r -> AvroCodec.fingerprintOf(r.value()) == fp).toList();
  }

  /**
   * Every partition got the run's start marker and one per tick, in order, after the samples they vouch for, the
   * last one saying the run ended.
   */
  static void assertProgressMarkers(List<ConsumerRecord<byte[], byte[]>> records, int partitions, int ticks) {
    long fp = AvroCodec.PROGRESS_MARKER.fingerprint();
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      List<ConsumerRecord<byte[], byte[]>> inP = records.stream().filter(r -> r.partition() == partition)
          .sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset)).toList();
      long promised = Long.MIN_VALUE;
      int markers = 0;
      boolean ended = false;
      for (ConsumerRecord<byte[], byte[]> r : inP) {
        if (AvroCodec.fingerprintOf(r.value()) == fp) {
          io.fleetpulse.schema.ProgressMarker m = AvroCodec.PROGRESS_MARKER.decode(r.value());
          assertThat(m.getCompleteUntil().toEpochMilli()).isGreaterThan(promised);
          promised = m.getCompleteUntil().toEpochMilli();
          ended = m.getEndOfRun();
          markers++;
        } else {
          assertThat(AvroCodec.CHIP_SAMPLE.decode(r.value()).getEventTime().toEpochMilli())
              .as("a sample after the promise covering it").isGreaterThanOrEqualTo(promised);
        }
      }
      assertThat(markers).as("markers in partition %d", p).isEqualTo(ticks + 1);
      assertThat(ended).isTrue();
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partitions) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = java.util.stream.IntStream.range(0, partitions)
          .mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      List<ConsumerRecord<byte[], byte[]>> out = new java.util.ArrayList<>();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
      return out;
    }
  }
}
