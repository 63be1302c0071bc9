package io.fleetpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.cli.CliErrors;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.schema.AvroCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A generator shard that dies mid-tick and is started again carries on where the topic says it stopped: the topic
 * then holds every sample of the run exactly once, as the pure sample function computes them, whatever the other
 * shards wrote meanwhile.
 */
@Timeout(180)
class KafkaResumeIT {

  static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  static final Duration DURATION = Duration.ofMinutes(2);
  static EmbeddedKafkaBroker kafka;
  final FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "2048")));

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafkaBroker.builder().build().start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** Dies (throws) after {@code limit} samples, as a killed process would stop between two sends. */
  static final class DiesAfter implements SampleSink {
    final KafkaSampleSink kafkaSink;
    final long limit;
    long sent;

    DiesAfter(KafkaSampleSink kafkaSink, long limit) {
      this.kafkaSink = kafkaSink;
      this.limit = limit;
    }

    @Override
    public void accept(Sample s) {
      if (sent++ == limit) throw new IllegalStateException("killed");
      kafkaSink.accept(s);
    }

    @Override
    public void progress(long until, boolean end) {
      kafkaSink.progress(until, end);
    }

    @Override
    public void flush() {
      kafkaSink.flush();
    }

    @Override
    public void close() {
      kafkaSink.close();
    }
  }

  RunPlan plan(Shard shard) {
    return new RunPlan(shard, START, DURATION, Speedup.MAX);
  }

  void dieAfter(String topic, Shard shard, long samples) {
    try (KafkaSampleSink sink = new KafkaSampleSink(kafka.bootstrapServers(), Map.of(), topic, model, plan(shard),
        "dying")) {
      assertThatThrownBy(() -> new FleetGenerator(model, plan(shard), new DiesAfter(sink, samples), s -> {}).run())
          .hasMessage("killed");
    }
  }

  GeneratorStats resume(String topic, Shard shard) {
    RunIdentity run = RunIdentity.of(model.config(), plan(shard).alignedStart(model), shard);
    KafkaResume.Position at = KafkaResume.find(kafka.bootstrapServers(), Map.of(), topic, model, plan(shard), run);
    assertThat(at.none()).isFalse();
    try (KafkaSampleSink sink = new KafkaSampleSink(kafka.bootstrapServers(), Map.of(), topic, model, plan(shard),
        "resumed")) {
      return new FleetGenerator(model, plan(shard), sink, s -> {}, at.resumeTick(), at.sentAlready()).run();
    }
  }

  @Test
  void aShardKilledMidTickAndStartedAgainWritesEverySampleOnce() {
    kafka.createTopic("resume", 4, Map.of());
    long perTick = expected(Shard.WHOLE).size() / 12;
    dieAfter("resume", Shard.WHOLE, 5 * perTick + perTick / 3);
    resume("resume", Shard.WHOLE);
    assertThat(samplesIn("resume")).containsExactlyInAnyOrderElementsOf(expected(Shard.WHOLE));
  }

  @Test
  void oneOfTwoShardsDiesAndResumesWhileTheOtherFinished() {
    kafka.createTopic("two-shards", 4, Map.of());
    Shard first = new Shard(0, 2);
    Shard second = new Shard(1, 2);
    KafkaGeneration.run(kafka.bootstrapServers(), Map.of(), "two-shards", model, plan(second), "second");
    dieAfter("two-shards", first, 1234);
    resume("two-shards", first);
    List<String> both = new ArrayList<>(expected(first));
    both.addAll(expected(second));
    assertThat(samplesIn("two-shards")).containsExactlyInAnyOrderElementsOf(both);
    // Run again once complete: nothing to add.
    RunIdentity run = RunIdentity.of(model.config(), plan(first).alignedStart(model), first);
    assertThat(KafkaResume.find(kafka.bootstrapServers(), Map.of(), "two-shards", model, plan(first), run).complete())
        .isTrue();
  }

  @Test
  void theSameGenerateCommandAgainWithoutAStartCarriesTheRunOn() {
    kafka.createTopic("command", 4, Map.of());
    dieAfter("command", Shard.WHOLE, 7777);
    // No --start: it finds the run this shard wrote last, with the same fleet, and carries it on.
    int exit = CliErrors.install(GenerateCommand.commandLine()).execute("--bootstrap-servers",
        kafka.bootstrapServers(), "--telemetry-topic", "command", "--chips", "2048", "--duration", "2m", "--speedup", "max");
    assertThat(exit).isZero();
    assertThat(samplesIn("command")).containsExactlyInAnyOrderElementsOf(expected(Shard.WHOLE));
    // And with another fleet it is another run, from now: the old one is left as it is.
    int other = CliErrors.install(GenerateCommand.commandLine()).execute("--bootstrap-servers",
        kafka.bootstrapServers(), "--telemetry-topic", "command", "--chips", "1024", "--duration", "10s", "--speedup", "max");
    assertThat(other).isZero();
    assertThat(samplesIn("command")).hasSizeGreaterThan(expected(Shard.WHOLE).size());
  }

  /** The run's samples, encoded: the oracle is the pure function, not the generator's fast path. */
  List<String> expected(Shard shard) {
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    int[] us = model.layout().shardRange(shard.index(), shard.count());
    long from = model.tickOf(START.toEpochMilli());
    List<String> out = new ArrayList<>();
    Sample s = new Sample();
    for (long tick = from; tick < from + 12; tick++) {
      for (int chip = us[0] * 64; chip < us[1] * 64; chip++) {
        if (model.sample(chip, tick, s)) out.add(HexFormat.of().formatHex(writer.encode(s)));
      }
    }
    return out;
  }

  static List<String> samplesIn(String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    long fp = AvroCodec.CHIP_SAMPLE.fingerprint();
    List<String> out = new ArrayList<>();
    io.fleetpulse.platform.TopicReader.readToEnd(c, topic, r -> {
      if (AvroCodec.fingerprintOf(r.value()) == fp) out.add(HexFormat.of().formatHex(r.value()));
    });
    return out;
  }
}
