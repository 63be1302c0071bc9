package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.generator.ChipSampleWriter;
import io.fleetpulse.jobs.sink.DeadLetterRecords;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.Topics;
import io.fleetpulse.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad records written into a running demo by an ordinary Kafka client, as a user could: garbage, length bombs,
 * oversized fields, far-future stamps, ids outside the fleet, a replayed minute. Every window stays complete
 * (samples in the fleet windows = the samples the pure model gives for the run), no window lies outside the run, no
 * false CHIP_SILENT opens (the model's silences are off), every bad record is in the dead-letter topic with its
 * reason, the job never restarts and the demo exits 0 by itself.
 */
@Timeout(600)
class HostileInputIT {

  static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
  static final int CHIPS = 4096;
  static final int PARTITIONS = 4;
  static final long HOURS_47 = Duration.ofHours(47).toMillis();

  @TempDir Path dir;

  final FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", Integer.toString(CHIPS),
      "faults.silent_share", "0")));
  final Map<DeadLetterReason, Long> injected = new EnumMap<>(DeadLetterReason.class);
  long replayed;

  @Test
  void badRecordsFromOutsideChangeNoWindowAndAllGetTheirReason() throws Exception {
    Path data = dir.resolve("data");
    int kafkaPort = freePort();
    ChildJvm demo = DemoProcess.start("demo", dir.resolve("demo.log"), List.of("--chips", Integer.toString(CHIPS),
        "--set", "faults.silent_share=0", "--start", START.toString(), "--duration", "3m", "--speedup", "6",
        "--data", data.toString(), "--kafka-port", Integer.toString(kafkaPort), "--web-port", "0",
        "--dashboard-port", "0", "--sql-port", "0", "--partitions", Integer.toString(PARTITIONS),
        "--checkpoint-interval", "1s"));
    Awaitility.await("the demo's generator a third through the run").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          if (!demo.isAlive()) throw new AssertionError("the demo ended early:\n" + demo.tail(40));
          return DemoRestartIT.percentDone(demo.log()) >= 30;
        });
    inject("127.0.0.1:" + kafkaPort);
    assertThat(demo.awaitExit(Duration.ofMinutes(5))).as(demo.tail(40)).isZero();
    String log = Files.readString(demo.log());
    assertThat(log).contains("the job failed and restarted 0 times");

    assertThat(deadLettersByReason(data)).containsExactlyInAnyOrderEntriesOf(expectedDeadLetters());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      ResultSet fleet = st.executeQuery("SELECT sum(samples), epoch_ms(min(window_start)), epoch_ms(max(window_end)), "
          + "count(*) FROM read_parquet('" + data + "/fleet_window/**/*.parquet')");
      fleet.next();
      assertThat(fleet.getLong(1)).as("samples in the fleet windows").isEqualTo(samplesOfTheRun());
      assertThat(fleet.getLong(2)).as("first window").isEqualTo(START.toEpochMilli());
      assertThat(fleet.getLong(3)).as("last window's end").isEqualTo(START.plus(Duration.ofMinutes(3)).toEpochMilli());
      assertThat(fleet.getLong(4)).as("fleet windows").isEqualTo(3);
      ResultSet silent = st.executeQuery("SELECT count(*) FROM read_parquet('" + data + "/alerts/**/*.parquet') "
          + "WHERE kind = 'CHIP_SILENT'");
      silent.next();
      assertThat(silent.getLong(1)).as("CHIP_SILENT alerts").isZero();
    }
  }

  /** Writes the bad records with a plain producer, counting what each should get. */
  void inject(String bootstrap) throws Exception {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
      send(p, "0", "not avro at all".getBytes(StandardCharsets.UTF_8), DeadLetterReason.NOT_AVRO);
      send(p, "0", new byte[0], DeadLetterReason.NOT_AVRO);
      send(p, "0", null, DeadLetterReason.EMPTY);
      send(p, "1", lengthBomb(), DeadLetterReason.MALFORMED);
      send(p, "1", encode(sample(100).setSite("x".repeat(600_000))), DeadLetterReason.OVERSIZED);
      byte[] junk = new byte[900_000];
      new Random(7).nextBytes(junk);
      send(p, "2", junk, DeadLetterReason.OVERSIZED);
      send(p, "2", encode(sample(100).setSite("mars-1")), DeadLetterReason.UNKNOWN_SITE);
      send(p, "3", encode(sample(100).setChipId(CHIPS * 10).setInstanceId(CHIPS * 10 / 16)
          .setUltraserverId(CHIPS * 10 / 64)), DeadLetterReason.UNKNOWN_CHIP);
      send(p, "3", encode(sample(100).setUltraserverId(3)), DeadLetterReason.WRONG_TOPOLOGY);
      send(p, "3", encode(sample(100).setIntervalMs(3_600_000)), DeadLetterReason.WRONG_INTERVAL);
      // A clock 47 hours ahead, on a chip of each partition.
      for (int partition = 0; partition < PARTITIONS; partition++) {
        int us = firstUltraserverOf(partition);
        ChipSample.Builder ahead = sample(us * 64 + 5);
        ahead.setEventTime(Instant.ofEpochMilli(ahead.getEventTime().toEpochMilli() + HOURS_47));
        send(p, Integer.toString(us), encode(ahead), DeadLetterReason.FUTURE);
      }
      // A restarted exporter resends a minute it had sent (LATE or DUPLICATE), and one ahead of the generator
      // (the generator's own copies then arrive second and are the duplicates).
      replay(p, 1, START);
      replay(p, 2, START.plus(Duration.ofMinutes(2)));
      p.flush();
    }
  }

  void send(KafkaProducer<byte[], byte[]> p, String key, byte[] value, DeadLetterReason reason) throws Exception {
    p.send(new ProducerRecord<>(Topics.TELEMETRY, key.getBytes(StandardCharsets.UTF_8), value)).get();
    injected.merge(reason, 1L, Long::sum);
  }

  void replay(KafkaProducer<byte[], byte[]> p, int us, Instant minute) throws Exception {
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    Sample s = new Sample();
    long first = model.tickOf(minute.toEpochMilli());
    for (long tick = first; tick < first + 6; tick++) {
      for (int chip = us * 64; chip < us * 64 + 64; chip++) {
        if (!model.sample(chip, tick, s)) continue;
        p.send(new ProducerRecord<>(Topics.TELEMETRY, Integer.toString(us).getBytes(StandardCharsets.UTF_8),
            writer.encode(s))).get();
        replayed++;
      }
    }
  }

  Map<DeadLetterReason, Long> expectedDeadLetters() {
    return injected;
  }

  /** The dead letters by reason, replays folded together: each is LATE or DUPLICATE by when it came. */
  Map<DeadLetterReason, Long> deadLettersByReason(Path data) {
    Map<DeadLetterReason, Long> byReason = new EnumMap<>(DeadLetterReason.class);
    long replays = 0;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(data.resolve("_kafka")).build().start()) {
      Map<String, Object> c = new HashMap<>();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> tps = consumer.partitionsFor(Topics.DEAD_LETTER).stream()
            .map(pi -> new TopicPartition(Topics.DEAD_LETTER, pi.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps);
        while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            DeadLetterReason reason = DeadLetterReason.valueOf(
                new String(r.headers().lastHeader(DeadLetterRecords.HEADER_REASON).value(), StandardCharsets.UTF_8));
            if (reason == DeadLetterReason.LATE || reason == DeadLetterReason.DUPLICATE) replays++;
            else byReason.merge(reason, 1L, Long::sum);
          }
        }
      }
    }
    assertThat(replays).as("replayed samples, LATE or DUPLICATE").isEqualTo(replayed);
    return byReason;
  }

  /** What the pure model gives for the run: the oracle for every sample the windows must hold. */
  long samplesOfTheRun() {
    Sample s = new Sample();
    long first = model.tickOf(START.toEpochMilli());
    long n = 0;
    for (long tick = first; tick < first + 18; tick++) {
      for (int chip = 0; chip < CHIPS; chip++) if (model.sample(chip, tick, s)) n++;
    }
    return n;
  }

  /** A valid sample of a chip as the layout places it, stamped inside the run. */
  ChipSample.Builder sample(int chip) {
    FleetLayout layout = model.layout();
    int us = chip / 64;
    return ChipSample.newBuilder().setChipId(chip).setInstanceId(chip / 16).setUltraserverId(us)
        .setSite(layout.siteId(us)).setGeneration(layout.generationId(us)).setWorkloadId(-1)
        .setWorkloadKind(io.fleetpulse.schema.WorkloadKind.INFERENCE)
        .setEventTime(START.plus(Duration.ofSeconds(75))).setIntervalMs(10_000).setUtilization(0.5)
        .setHbmUsedGib(10).setPowerW(300).setRenewableShare(0.3).setEccCorrectedTotal(0).setEccUncorrectedTotal(0);
  }

  static byte[] encode(ChipSample.Builder b) {
    return AvroCodec.CHIP_SAMPLE.encode(b.build());
  }

  /** A ChipSample whose site claims 1 GiB follows. */
  byte[] lengthBomb() {
    byte[] good = encode(sample(100));
    int at = 10;
    for (int field = 0; field < 3; field++) {
      while ((good[at] & 0x80) != 0) at++;
      at++;
    }
    byte[] bomb = java.util.Arrays.copyOf(good, at + 5);
    long z = (1L << 30) << 1;
    for (int i = 0; i < 5; i++) {
      bomb[at + i] = (byte) ((z & 0x7F) | (i < 4 ? 0x80 : 0));
      z >>>= 7;
    }
    return bomb;
  }

  static int firstUltraserverOf(int partition) {
    for (int us = 0; ; us++) {
      if (BuiltInPartitioner.partitionForKey(Integer.toString(us).getBytes(StandardCharsets.UTF_8), PARTITIONS)
          == partition) {
        return us;
      }
    }
  }

  static int freePort() {
    return io.fleetpulse.platform.LocalMachine.freePort();
  }
}
