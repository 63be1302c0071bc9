package io.fleetpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import io.fleetpulse.schema.AvroCodec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetGeneratorTest {

  static final Instant START = Instant.parse("2026-11-25T06:00:03Z");
  private final FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "6400")));

  /** Collects the bytes of every sample, as Kafka would receive them. */
  static class CollectingSink implements SampleSink {
    final List<byte[]> records = new ArrayList<>();
    final ChipSampleWriter writer;
    final List<long[]> progress = new ArrayList<>();
    final List<Integer> progressAt = new ArrayList<>();
    final List<io.fleetpulse.model.GridProfile.Hour> grid = new ArrayList<>();
    final List<Integer> gridAt = new ArrayList<>();
    int flushes;
    FleetGenerator generator;

    CollectingSink(FleetModel model) {
      writer = new ChipSampleWriter(model.layout());
    }

    @Override
    public void accept(Sample s) {
      records.add(writer.encode(s));
    }

    @Override
    public void progress(long completeUntilMs, boolean endOfRun) {
      progress.add(new long[] {completeUntilMs, endOfRun ? 1 : 0});
      progressAt.add(records.size());
    }

    @Override
    public void gridIntensity(io.fleetpulse.model.GridProfile.Hour hour) {
      grid.add(hour);
      gridAt.add(records.size());
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public void close() {}
  }

  private CollectingSink run(Shard shard, Duration duration) {
    CollectingSink sink = new CollectingSink(model);
    new FleetGenerator(model, new RunPlan(shard, START, duration, Speedup.MAX), sink, s -> {}).run();
    return sink;
  }

  private static List<byte[]> collect(FleetModel model, Shard shard, Instant start, Duration duration) {
    CollectingSink sink = new CollectingSink(model);
    new FleetGenerator(model, new RunPlan(shard, start, duration, Speedup.MAX), sink, s -> {}).run();
    return sink.records;
  }

  @Test
  void eachHoursGridIntensityGoesOutBeforeTheHoursFirstSample() {
    CollectingSink sink = new CollectingSink(model);
    Instant start = Instant.parse("2026-11-25T06:58:00Z");
    new FleetGenerator(model, new RunPlan(Shard.WHOLE, start, Duration.ofMinutes(4), Speedup.MAX), sink, s -> {})
        .run();
    int sites = model.config().sites().size();
    assertThat(sink.grid).hasSize(2 * sites);
    long hour6 = Instant.parse("2026-11-25T06:00:00Z").toEpochMilli();
    for (int i = 0; i < sites; i++) {
      assertThat(sink.gridAt.get(i)).isZero();
      assertThat(sink.grid.get(i)).isEqualTo(model.gridHour(i, hour6));
      assertThat(sink.grid.get(sites + i)).isEqualTo(model.gridHour(i, hour6 + 3_600_000));
    }
    // The second hour's figures arrive after every sample of the first hour and before any of the second.
    List<Long> times = sink.records.stream().map(r -> AvroCodec.CHIP_SAMPLE.decode(r).getEventTime().toEpochMilli())
        .toList();
    int at = sink.gridAt.get(sites);
    assertThat(times.subList(0, at)).allSatisfy(t -> assertThat(t).isLessThan(hour6 + 3_600_000));
    assertThat(times.subList(at, times.size())).isNotEmpty()
        .allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(hour6 + 3_600_000));
    // Only shard 0 writes them.
    CollectingSink other = new CollectingSink(model);
    new FleetGenerator(model, new RunPlan(Shard.parse("1/2"), start, Duration.ofMinutes(4), Speedup.MAX), other,
        s -> {}).run();
    assertThat(other.grid).isEmpty();
  }

  @Test
  void sameSeedAndConfigGiveIdenticalBytes() {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    run(Shard.WHOLE, Duration.ofMinutes(2)).records.forEach(a::writeBytes);
    run(Shard.WHOLE, Duration.ofMinutes(2)).records.forEach(b::writeBytes);
    assertThat(a.size()).isGreaterThan(0);
    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
  }

  @Test
  void shardsAreDisjointAndTheirUnionIsTheWholeFleet() {
    Set<String> whole = asStrings(run(Shard.WHOLE, Duration.ofMinutes(1)).records);
    for (int n : new int[] {3, 7}) {
      Set<String> union = new HashSet<>();
      int total = 0;
      for (int i = 0; i < n; i++) {
        List<byte[]> part = run(new Shard(i, n), Duration.ofMinutes(1)).records;
        assertThat(part).as("shard %d/%d", i, n).isNotEmpty();
        total += part.size();
        union.addAll(asStrings(part));
      }
      assertThat(total).as("records of %d shards", n).isEqualTo(whole.size()); // no record in two shards
      assertThat(union).isEqualTo(whole);
    }
  }

  @Test
  void boundedRunIsExactlyThePureModelsSamplesOfItsIntervals() {
    CollectingSink sink = run(Shard.WHOLE, Duration.ofMinutes(3));
    // The oracle: FleetModel.sample, the pure function, encoded the same way; the generator uses the fast path.
    ChipSampleWriter writer = new ChipSampleWriter(model.layout());
    Sample s = new Sample();
    long startTick = model.tickOf(START.toEpochMilli());
    List<String> expected = new ArrayList<>();
    for (long tick = startTick; tick < startTick + 18; tick++) {
      for (int chip = 0; chip < 6400; chip++) {
        if (model.sample(chip, tick, s)) expected.add(HexFormat.of().formatHex(writer.encode(s)));
      }
    }
    assertThat(sink.records.stream().map(HexFormat.of()::formatHex).toList())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(sink.flushes).isEqualTo(1);
  }

  @Test
  void samplesLeaveInEventTimeOrderAndEachTickEndsWithItsProgress() {
    CollectingSink sink = run(Shard.WHOLE, Duration.ofMinutes(1));
    long previous = Long.MIN_VALUE;
    for (byte[] r : sink.records) {
      long t = AvroCodec.CHIP_SAMPLE.decode(r).getEventTime().toEpochMilli();
      assertThat(t).isGreaterThanOrEqualTo(previous);
      previous = t;
    }
    long start = START.toEpochMilli() / 10_000 * 10_000;
    List<Long> ticks = new ArrayList<>();
    for (int k = 0; k <= 6; k++) ticks.add(start + k * 10_000L);
    assertThat(sink.progress).extracting(p -> p[0]).containsExactlyElementsOf(ticks);
    assertThat(sink.progress).extracting(p -> p[1]).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 1L);
    // Each promise comes after every sample stamped before it.
    for (int i = 0; i < sink.progress.size(); i++) {
      long until = sink.progress.get(i)[0];
      int before = sink.progressAt.get(i);
      assertThat(sink.records.subList(before, sink.records.size()))
          .allSatisfy(r -> assertThat(AvroCodec.CHIP_SAMPLE.decode(r).getEventTime().toEpochMilli())
              .isGreaterThanOrEqualTo(until));
    }
  }

  @Test
  void aResumedRunLeavesOutWhatWasSentAndCarriesOnFromItsTick() {
    List<byte[]> whole = run(Shard.WHOLE, Duration.ofMinutes(1)).records;
    long start = START.toEpochMilli() / 10_000 * 10_000;
    long cut = start + 20_000 + 4_321; // partway into the third tick
    CollectingSink resumed = new CollectingSink(model);
    new FleetGenerator(model, new RunPlan(Shard.WHOLE, START, Duration.ofMinutes(1), Speedup.MAX), resumed, s -> {},
        model.tickOf(start + 20_000), s -> s.eventTimeMs < cut).run();
    List<String> expected = whole.stream()
        .filter(r -> AvroCodec.CHIP_SAMPLE.decode(r).getEventTime().toEpochMilli() >= cut)
        .map(HexFormat.of()::formatHex).toList();
    assertThat(resumed.records.stream().map(HexFormat.of()::formatHex).toList()).containsExactlyElementsOf(expected);
  }

  @Test
  void aRunStartingAnyTimeReplaysTheSameSamplesAsALongerRun() {
    FleetModel fine = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "1280", "fleet.interval", "1m")));
    Instant t0 = Instant.parse("2026-11-24T22:00:00Z");
    List<byte[]> whole = collect(fine, Shard.WHOLE, t0, Duration.ofHours(4));
    // A later start, not on an hour, crossing midnight: its samples are a slice of the long run's, byte for byte.
    Instant later = t0.plus(Duration.ofMinutes(97));
    List<byte[]> part = collect(fine, Shard.WHOLE, later, Duration.ofMinutes(50));
    long from = later.toEpochMilli();
    long to = later.plus(Duration.ofMinutes(50)).toEpochMilli();
    List<String> slice = whole.stream().filter(r -> {
      long t = AvroCodec.CHIP_SAMPLE.decode(r).getEventTime().toEpochMilli();
      return t >= from && t < to;
    }).map(HexFormat.of()::formatHex).toList();
    assertThat(part.stream().map(HexFormat.of()::formatHex).toList()).isNotEmpty().containsExactlyElementsOf(slice);
  }

  @Test
  void anotherSeedGivesOtherSamples() {
    FleetModel other = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "6400", "fleet.seed", "43")));
    Set<String> a = asStrings(run(Shard.WHOLE, Duration.ofMinutes(1)).records);
    Set<String> b = asStrings(collect(other, Shard.WHOLE, START, Duration.ofMinutes(1)));
    assertThat(b).isNotEmpty();
    b.retainAll(a);
    assertThat(b).as("records both seeds produce").isEmpty();
  }

  @Test
  void durationMustBeWholeIntervals() {
    assertThatThrownBy(() -> run(Shard.WHOLE, Duration.ofSeconds(15)))
        .hasMessage("--duration must be a whole number of sample intervals (10s), got 15s");
  }

  @Test
  void stopRequestEndsTheRunAfterTheCurrentTickAndFlushes() {
    CollectingSink sink = new CollectingSink(model) {
      @Override
      public void accept(Sample s) {
        super.accept(s);
        if (records.size() == 10) generator.requestStop();
      }
    };
    sink.generator = new FleetGenerator(model, new RunPlan(Shard.WHOLE, START, null, Speedup.MAX), sink, x -> {});
    GeneratorStats stats = sink.generator.run();
    assertThat(stats.ticksDone()).isEqualTo(1);
    assertThat(sink.flushes).isEqualTo(1);
  }

  private static Set<String> asStrings(List<byte[]> records) {
    Set<String> s = new HashSet<>();
    for (byte[] r : records) s.add(java.util.HexFormat.of().formatHex(r));
    return s;
  }

  @Test
  void pacingCountsFromTheSharedAnchorNotFromWhenTheProcessStarted() {
    // Paced in real time from an anchor an hour ago: every tick of this minute was due long before the run began,
    // so the run is an hour behind schedule. Shards given one anchor release each tick together.
    Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
    CollectingSink sink = new CollectingSink(model);
    GeneratorStats stats = new FleetGenerator(model,
        new RunPlan(Shard.WHOLE, START, Duration.ofMinutes(1), Speedup.REAL_TIME, anHourAgo), sink, s -> {}).run();
    assertThat(stats.ticksDone()).isEqualTo(6);
    assertThat(stats.behindSchedule()).isGreaterThan(Duration.ofMinutes(58));
  }
}
