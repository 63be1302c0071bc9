package io.fleetpulse.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.WorkloadKind;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TelemetryDecoderTest {

  static final long NOW = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();
  final TelemetryDecoder decoder =
      new TelemetryDecoder(MetricFactors.from(FleetConfigLoader.defaults()), Duration.ofDays(2));

  static ChipSample.Builder good() {
    return ChipSample.newBuilder().setChipId(70).setInstanceId(4).setUltraserverId(1).setSite("us-pa")
        .setGeneration("trn2").setWorkloadId(3).setWorkloadKind(WorkloadKind.INFERENCE)
        .setEventTime(Instant.ofEpochMilli(NOW - 60_000)).setIntervalMs(10_000).setUtilization(0.5)
        .setHbmUsedGib(40).setPowerW(325).setRenewableShare(0.2).setEccCorrectedTotal(3).setEccUncorrectedTotal(0);
  }

  TelemetryRecord decode(Consumer<ChipSample.Builder> change) {
    ChipSample.Builder b = good();
    change.accept(b);
    return decoder.decode("t", 2, 99, "1".getBytes(), AvroCodec.CHIP_SAMPLE.encode(b.build()), NOW);
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
    assertThat(decode(b -> b.setEventTime(Instant.ofEpochMilli(NOW + Duration.ofDays(3).toMillis())))
        .deadLetter.reason).isEqualTo(DeadLetter.Reason.OUT_OF_RANGE);
  }

  @Test
  void unknownSiteAndGenerationAreTheirOwnReasons() {
    assertThat(decode(b -> b.setSite("moon")).deadLetter.reason).isEqualTo(DeadLetter.Reason.UNKNOWN_SITE);
    assertThat(decode(b -> b.setGeneration("tpu")).deadLetter.reason).isEqualTo(DeadLetter.Reason.UNKNOWN_GENERATION);
  }

  @Test
  void deadLettersKeepTheOriginalBytesAndWhereTheyCameFrom() {
    byte[] value = {1, 2, 3};
    TelemetryRecord r = decoder.decode("fleet.telemetry", 3, 1234, "k".getBytes(), value, NOW);
    assertThat(r.isValid()).isFalse();
    assertThat(r.eventTime()).isEqualTo(Long.MIN_VALUE);
    assertThat(r.deadLetter.reason).isEqualTo(DeadLetter.Reason.NOT_AVRO);
    assertThat(r.deadLetter.value).isSameAs(value);
    assertThat(r.deadLetter.key).containsExactly('k');
    assertThat(r.deadLetter.sourcePartition).isEqualTo(3);
    assertThat(r.deadLetter.sourceOffset).isEqualTo(1234);
  }
}
