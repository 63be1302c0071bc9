package io.fleetpulse.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.WorkloadKind;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TelemetryDecoderTest {

  static final long NOW = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();
  static final FleetConfig FLEET = FleetConfigLoader.load(null, Map.of("fleet.chips", "4096"));
  final TelemetryDecoder decoder = new TelemetryDecoder(MetricFactors.from(FleetConfigLoader.defaults()), null, 60_000);
  final TelemetryDecoder withLayout = new TelemetryDecoder(MetricFactors.from(FLEET), new FleetTopology(FLEET), 60_000);

  static ChipSample.Builder good() {
    return ChipSample.newBuilder().setChipId(70).setInstanceId(4).setUltraserverId(1).setSite("us-pa")
        .setGeneration("trn2").setWorkloadId(3).setWorkloadKind(WorkloadKind.INFERENCE)
        .setEventTime(Instant.ofEpochMilli(NOW - 60_000)).setIntervalMs(10_000).setUtilization(0.5)
        .setHbmUsedGib(40).setPowerW(325).setRenewableShare(0.2).setEccCorrectedTotal(3).setEccUncorrectedTotal(0);
  }

  /** A sample of chip {@code chip} exactly where the 4096-chip layout puts it. */
  static ChipSample.Builder placed(int chip) {
    FleetLayout layout = new FleetLayout(FLEET);
    int us = chip / 64;
    return good().setChipId(chip).setInstanceId(chip / 16).setUltraserverId(us).setSite(layout.siteId(us))
        .setGeneration(layout.generationId(us));
  }

  TelemetryRecord decode(Consumer<ChipSample.Builder> change) {
    return decode(decoder, good(), change);
  }

  static TelemetryRecord decode(TelemetryDecoder d, ChipSample.Builder b, Consumer<ChipSample.Builder> change) {
    change.accept(b);
    return d.decode("t", 2, 99, "1".getBytes(), AvroCodec.CHIP_SAMPLE.encode(b.build()));
  }

  @Test
  void aGoodSampleBecomesAReading() {
    TelemetryRecord r = decode(b -> {});
    assertThat(r.isValid()).isTrue();
    assertThat(r.eventTime()).isEqualTo(NOW - 60_000);
    assertThat(r.reading.powerW).isEqualTo(325);
    assertThat(r.reading.workloadKind).isEqualTo(WorkloadKind.INFERENCE.ordinal());
  }

  @Test
  void eachOutOfRangeFieldIsNamed() {
    assertThat(decode(b -> b.setUtilization(-0.1)).deadLetter.detail).startsWith("utilization -0.1");
    assertThat(decode(b -> b.setUtilization(Double.NaN)).deadLetter.detail).startsWith("utilization NaN");
    assertThat(decode(b -> b.setHbmUsedGib(97)).deadLetter.detail).startsWith("hbm_used_gib 97.0 outside [0, 96.0]");
    assertThat(decode(b -> b.setPowerW(1001)).deadLetter.detail).startsWith("power_w 1001.0");
    assertThat(decode(b -> b.setRenewableShare(1.5)).deadLetter.detail).startsWith("renewable_share");
    assertThat(decode(b -> b.setIntervalMs(0)).deadLetter.detail).startsWith("interval_ms 0");
    assertThat(decode(b -> b.setEccCorrectedTotal(-1)).deadLetter.detail).isEqualTo("negative ECC counter");
    assertThat(decode(b -> b.setChipId(-1)).deadLetter.detail).startsWith("negative chip");
    assertThat(decode(b -> b.setEventTime(Instant.ofEpochMilli(0))).deadLetter.detail).startsWith("event_time");
    assertThat(decode(b -> b.setEventTime(Instant.parse("2100-01-01T00:00:00Z"))).deadLetter.reason)
        .isEqualTo(DeadLetterReason.OUT_OF_RANGE);
  }

  @Test
  void aStampFarAheadOfTheWallClockIsNoConcernOfTheDecoder() {
    // Replays and fast --speedup runs are ahead of the wall clock; only the stream itself can say a clock is broken.
    assertThat(decode(b -> b.setEventTime(Instant.ofEpochMilli(NOW + 400L * 86_400_000))).isValid()).isTrue();
  }

  @Test
  void unknownSiteAndGenerationAreTheirOwnReasons() {
    assertThat(decode(b -> b.setSite("moon")).deadLetter.reason).isEqualTo(DeadLetterReason.UNKNOWN_SITE);
    assertThat(decode(b -> b.setGeneration("tpu")).deadLetter.reason).isEqualTo(DeadLetterReason.UNKNOWN_GENERATION);
  }

  @Test
  void aHugeFieldIsQuotedShortInTheDetail() {
    String huge = "x".repeat(600_000);
    TelemetryRecord r = decode(b -> b.setSite(huge));
    assertThat(r.deadLetter.reason).isEqualTo(DeadLetterReason.OVERSIZED);
    assertThat(r.deadLetter.detail).hasSizeLessThanOrEqualTo(DeadLetter.MAX_DETAIL_CHARS + 30)
        .contains("600");
    TelemetryRecord site = decode(b -> b.setSite("y".repeat(3_000)));
    assertThat(site.deadLetter.reason).isEqualTo(DeadLetterReason.UNKNOWN_SITE);
    assertThat(site.deadLetter.detail).contains("(3000 chars)").hasSizeLessThan(200);
  }

  @Test
  void deadLettersKeepTheOriginalBytesAndWhereTheyCameFrom() {
    byte[] value = {1, 2, 3};
    TelemetryRecord r = decoder.decode("fleet.telemetry", 3, 1234, "k".getBytes(), value);
    assertThat(r.isValid()).isFalse();
    assertThat(r.eventTime()).isEqualTo(Long.MIN_VALUE);
    assertThat(r.deadLetter.reason).isEqualTo(DeadLetterReason.NOT_AVRO);
    assertThat(r.deadLetter.value).isSameAs(value);
    assertThat(r.deadLetter.key).containsExactly('k');
    assertThat(r.deadLetter.sourcePartition).isEqualTo(3);
    assertThat(r.deadLetter.sourceOffset).isEqualTo(1234);
  }

  @Test
  void withALayoutASampleMustSitWhereItsChipIs() {
    assertThat(decode(withLayout, placed(1000), b -> {}).isValid()).isTrue();
    assertThat(decode(withLayout, placed(1000), b -> b.setChipId(4096)).deadLetter.reason)
        .isEqualTo(DeadLetterReason.UNKNOWN_CHIP);
    TelemetryRecord wrongUs = decode(withLayout, placed(1000), b -> b.setUltraserverId(3));
    assertThat(wrongUs.deadLetter.reason).isEqualTo(DeadLetterReason.WRONG_TOPOLOGY);
    assertThat(wrongUs.deadLetter.detail).startsWith("chip 1000 belongs to instance 62, UltraServer 15");
    assertThat(decode(withLayout, placed(1000), b -> b.setInstanceId(61)).deadLetter.reason)
        .isEqualTo(DeadLetterReason.WRONG_TOPOLOGY);
    String otherSite = placed(1000).getSite().equals("us-in") ? "us-pa" : "us-in";
    assertThat(decode(withLayout, placed(1000), b -> b.setSite(otherSite)).deadLetter.reason)
        .isEqualTo(DeadLetterReason.WRONG_TOPOLOGY);
    TelemetryRecord hour = decode(withLayout, placed(1000), b -> b.setIntervalMs(3_600_000));
    assertThat(hour.deadLetter.reason).isEqualTo(DeadLetterReason.WRONG_INTERVAL);
    assertThat(hour.deadLetter.detail).isEqualTo("interval_ms 3600000, but the fleet samples every 10000 ms");
  }

  @Test
  void withoutALayoutAnIntervalMustTileTheWindow() {
    assertThat(decode(b -> b.setIntervalMs(15_000)).isValid()).isTrue();
    assertThat(decode(b -> b.setIntervalMs(3_600_000)).deadLetter.reason).isEqualTo(DeadLetterReason.WRONG_INTERVAL);
    assertThat(decode(b -> b.setIntervalMs(7_000)).deadLetter.reason).isEqualTo(DeadLetterReason.WRONG_INTERVAL);
    assertThat(decode(b -> b.setIntervalMs(500)).deadLetter.reason).isEqualTo(DeadLetterReason.WRONG_INTERVAL);
  }
}
