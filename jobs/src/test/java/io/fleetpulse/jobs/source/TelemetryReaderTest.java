package io.fleetpulse.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.ProgressMarker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Per-partition event time: what a partition vouches for, and which stamps are broken clocks. */
class TelemetryReaderTest {

  static final long T0 = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();
  static final long HOURS_47 = Duration.ofHours(47).toMillis();
  final TelemetryDecoder decoder =
      new TelemetryDecoder(MetricFactors.from(FleetConfigLoader.defaults()), null, 60_000);

  TelemetryReader reader(Duration markerTimeout, TelemetryReader.ClockSeed seed) {
    return new TelemetryReader(decoder, Duration.ofMinutes(5), Duration.ofSeconds(15), markerTimeout, seed);
  }

  static byte[] sample(int chip, long t) {
    return AvroCodec.CHIP_SAMPLE.encode(TelemetryDecoderTest.good().setChipId(chip).setInstanceId(chip / 16)
        .setUltraserverId(chip / 64).setEventTime(Instant.ofEpochMilli(t)).build());
  }

  static byte[] marker(int shard, int shards, long until, boolean end) {
    return AvroCodec.PROGRESS_MARKER.encode(ProgressMarker.newBuilder().setProducer("test").setRunId("r").setRunStart(Instant.ofEpochMilli(T0))
        .setShardIndex(shard).setShardCount(shards).setCompleteUntil(Instant.ofEpochMilli(until)).setEndOfRun(end)
        .build());
  }

  /** 64 chips, one sample each per 10 s tick, for {@code ticks} ticks from T0; returns the last record read. */
  static TelemetryRecord ticks(TelemetryReader r, int partition, int ticks) {
    TelemetryRecord last = null;
    for (int k = 0; k < ticks; k++) {
      for (int chip = 0; chip < 64; chip++) last = r.read("t", partition, 0, null, sample(chip, T0 + k * 10_000L + chip));
    }
    return last;
  }

  @Test
  void aBrokenClockIsFutureAndMovesNoWatermark() {
    TelemetryReader r = reader(Duration.ofHours(1), null);
    TelemetryRecord before = ticks(r, 0, 6);
    assertThat(before.watermark).isEqualTo(T0 + 50_000 + 63 - PartitionClock.QUORUM + 1 - 15_000 - 1);
    TelemetryRecord ahead = r.read("t", 0, 7, null, sample(3, T0 + HOURS_47));
    assertThat(ahead.isValid()).isFalse();
    assertThat(ahead.deadLetter.reason).isEqualTo(DeadLetterReason.FUTURE);
    assertThat(ahead.deadLetter.detail).contains("ahead of partition 0's event time");
    // It can push a good chip out of the quorum, never the partition's time past the good chips' own.
    assertThat(ahead.watermark).isBetween(before.watermark, T0 + 50_063 - 15_001);
    // Another partition keeps its own time: what is normal there is not judged by partition 0.
    assertThat(r.read("t", 1, 0, null, sample(5, T0 + HOURS_47)).isValid()).isTrue();
  }

  @Test
  void fewerChipsThanTheQuorumCannotMoveTimeButTheWholeStreamCan() {
    TelemetryReader r = reader(Duration.ofHours(1), null);
    TelemetryRecord before = ticks(r, 0, 3);
    for (int chip = 0; chip < PartitionClock.QUORUM - 1; chip++) {
      TelemetryRecord ahead = r.read("t", 0, 0, null, sample(chip, T0 + HOURS_47 + chip));
      assertThat(ahead.deadLetter.reason).isEqualTo(DeadLetterReason.FUTURE);
      assertThat(ahead.watermark).isBetween(before.watermark, T0 + 20_063 - 15_001);
    }
    // The 16th chip to agree: the partition really jumped (a producer restarted after a pause), and time follows.
    TelemetryRecord agreed = r.read("t", 0, 0, null, sample(20, T0 + HOURS_47 + 20));
    assertThat(agreed.isValid()).isTrue();
    assertThat(agreed.watermark).isEqualTo(T0 + HOURS_47 - 15_000 - 1);
  }

  @Test
  void progressMarkersOfEveryShardSetTheWatermarkExactly() {
    TelemetryReader r = reader(Duration.ofHours(1), null);
    ticks(r, 0, 1);
    TelemetryRecord one = r.read("t", 0, 0, null, marker(0, 2, T0 + 10_000, false));
    assertThat(one.progress).isTrue();
    assertThat(one.watermark).as("shard 1 of 2 has promised nothing yet").isEqualTo(Long.MIN_VALUE);
    TelemetryRecord both = r.read("t", 0, 0, null, marker(1, 2, T0 + 20_000, false));
    assertThat(both.watermark).isEqualTo(T0 + 10_000 - 1);
    assertThat(r.endOfRun(0)).isFalse();
    r.read("t", 0, 0, null, marker(0, 2, T0 + 20_000, true));
    TelemetryRecord end = r.read("t", 0, 0, null, marker(1, 2, T0 + 20_000, true));
    assertThat(end.watermark).isEqualTo(T0 + 20_000 - 1);
    assertThat(r.endOfRun(0)).isTrue();
    // A marker also gives the partition a time to judge stamps by before any quorum.
    TelemetryReader fresh = reader(Duration.ofHours(1), null);
    fresh.read("t", 0, 0, null, marker(0, 1, T0, false));
    assertThat(fresh.read("t", 0, 0, null, sample(1, T0 + HOURS_47)).deadLetter.reason)
        .isEqualTo(DeadLetterReason.FUTURE);
  }

  @Test
  void markersThatStopLeaveThePartitionToItsSampleTimes() {
    TelemetryReader r = reader(Duration.ZERO, null);
    r.read("t", 0, 0, null, marker(0, 1, T0 + 60_000, false));
    TelemetryRecord last = ticks(r, 0, 2);
    assertThat(r.followsMarkers(0)).isFalse();
    assertThat(last.watermark).isEqualTo(T0 + 10_000 + 63 - PartitionClock.QUORUM + 1 - 15_000 - 1);
  }

  @Test
  void aBrokenClockThatComesFirstIsJudgedByReadingAhead() {
    TelemetryReader.ClockSeed ahead = (topic, partition, offset) -> T0;
    TelemetryReader r = reader(Duration.ofHours(1), ahead);
    assertThat(r.read("t", 0, 0, null, sample(1, T0 + HOURS_47)).deadLetter.reason)
        .isEqualTo(DeadLetterReason.FUTURE);
    assertThat(r.read("t", 0, 1, null, sample(2, T0 + 1)).isValid()).isTrue();
    TelemetryReader unseeded = reader(Duration.ofHours(1), null);
    assertThat(unseeded.read("t", 0, 0, null, sample(1, T0 + HOURS_47)).isValid())
        .as("without a seed the first record cannot be judged").isTrue();
  }

  @Test
  void aBadMarkerIsADeadLetter() {
    byte[] bad = marker(0, 1, T0, false);
    byte[] truncated = java.util.Arrays.copyOf(bad, 14);
    TelemetryRecord r = reader(Duration.ofHours(1), null).read("t", 0, 0, null, truncated);
    assertThat(r.deadLetter.reason).isEqualTo(DeadLetterReason.MALFORMED);
  }
}
