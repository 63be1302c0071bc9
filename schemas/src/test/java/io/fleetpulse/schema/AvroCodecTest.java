package io.fleetpulse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

  static ChipSample sample() {
    return ChipSample.newBuilder()
        .setChipId(4242)
        .setInstanceId(4242 / 16)
        .setUltraserverId(4242 / 64)
        .setSite("us-in")
        .setGeneration("trn2")
        .setWorkloadId(7)
        .setWorkloadKind(WorkloadKind.TRAINING)
        .setEventTime(Instant.ofEpochMilli(1_764_000_000_000L))
        .setIntervalMs(10_000)
        .setUtilization(0.87)
        .setHbmUsedGib(71.5)
        .setPowerW(455.25)
        .setRenewableShare(0.31)
        .setEccCorrectedTotal(12)
        .setEccUncorrectedTotal(0)
        .build();
  }

  @Test
  void roundTripsEveryField() {
    ChipSample in = sample();
    byte[] bytes = AvroCodec.CHIP_SAMPLE.encode(in);
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(AvroCodec.CHIP_SAMPLE.decode(bytes)).isEqualTo(in);
  }

  @Test
  void aStringLengthClaimingAGigabyteIsMalformedWithoutAllocatingIt() {
    byte[] good = AvroCodec.CHIP_SAMPLE.encode(sample());
    // Header (10 bytes), then chip, instance and UltraServer ids (zig-zag varints), then the site's length.
    int at = 10;
    for (int field = 0; field < 3; field++) {
      while ((good[at] & 0x80) != 0) at++;
      at++;
    }
    byte[] bomb = new byte[at + 5];
    System.arraycopy(good, 0, bomb, 0, at);
    long n = 1L << 30; // zig-zag of 2^30 is 2^31: five varint bytes
    long z = n << 1;
    for (int i = 0; i < 5; i++) {
      bomb[at + i] = (byte) ((z & 0x7F) | (i < 4 ? 0x80 : 0));
      z >>>= 7;
    }
    long before = usedHeap();
    assertThatThrownBy(() -> AvroCodec.CHIP_SAMPLE.decode(bomb))
        .isInstanceOfSatisfying(DecodeException.class, e -> {
          assertThat(e.reason()).isEqualTo(DeadLetterReason.MALFORMED);
          assertThat(e.getMessage()).contains("String length");
        });
    assertThat(usedHeap() - before).as("bytes allocated decoding the bomb").isLessThan(64L << 20);
  }

  @Test
  void limitsAvroReadBeforeTheyWereSetAreBroughtIntoForce() throws Exception {
    java.lang.reflect.Method reset = org.apache.avro.SystemLimitException.class.getDeclaredMethod("resetLimits");
    reset.setAccessible(true);
    String property = "org.apache.avro.limits.string.maxLength";
    String configured = System.getProperty(property);
    assertThat(configured).isNotNull();
    try {
      // As in a JVM where a record builder ran before AvroCodec loaded: Avro read no limit.
      System.clearProperty(property);
      reset.invoke(null);
      System.setProperty(property, configured);
      assertThat(AvroCodec.limitsInForce()).isFalse();

      AvroCodec.enforceDecodingLimits();

      assertThat(AvroCodec.limitsInForce()).isTrue();
      assertThatThrownBy(() -> org.apache.avro.SystemLimitException.checkMaxStringLength(1L << 30))
          .isInstanceOf(org.apache.avro.SystemLimitException.class);
    } finally {
      System.setProperty(property, configured);
      reset.invoke(null);
    }
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  @Test
  void bytesThatAreNotAvroSayWhy() {
    assertThatThrownBy(() -> AvroCodec.CHIP_SAMPLE.decode("{\"chip\":1}".getBytes()))
        .isInstanceOfSatisfying(
            DecodeException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.NOT_AVRO));
  }

  @Test
  void nullValueIsEmpty() {
    assertThatThrownBy(() -> AvroCodec.CHIP_SAMPLE.decode(null))
        .isInstanceOfSatisfying(
            DecodeException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.EMPTY));
  }

  @Test
  void truncatedBodyIsMalformed() {
    byte[] bytes = AvroCodec.CHIP_SAMPLE.encode(sample());
    byte[] truncated = Arrays.copyOf(bytes, 14);
    assertThatThrownBy(() -> AvroCodec.CHIP_SAMPLE.decode(truncated))
        .isInstanceOfSatisfying(
            DecodeException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.MALFORMED));
  }

  @Test
  void recordOfAnotherSchemaIsUnknownSchema() {
    Schema other = SchemaBuilder.record("Other").fields().requiredInt("x").endRecord();
    GenericRecord record = new GenericData.Record(other);
    record.put("x", 1);
    byte[] bytes = encodeGeneric(other, record);
    assertThatThrownBy(() -> AvroCodec.CHIP_SAMPLE.decode(bytes))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA));
  }

  @Test
  void gridIntensityRoundTripsAndAnOldWindowReadsTheNewColumnsAsUnknown() {
    GridIntensity g = GridIntensity.newBuilder().setSite("us-in").setHourStart(Instant.ofEpochMilli(3_600_000))
        .setLocationGPerKwh(400).setGridCfeShare(0.3).setResidualGPerKwh(450).setContractedCfeShare(null)
        .setSource("test").build();
    assertThat(AvroCodec.GRID_INTENSITY.decode(AvroCodec.GRID_INTENSITY.encode(g))).isEqualTo(g);
    assertThat(WindowMetrics.getClassSchema().getField("cfe_share").defaultVal()).isEqualTo(Double.NaN);
    assertThat(WindowMetrics.getClassSchema().getField("embodied_carbon_kg").defaultVal()).isEqualTo(0.0);
  }

  @Test
  void windowMetricsRoundTrip() {
    WindowMetrics m = WindowMetrics.newBuilder()
        .setLevel(AggregationLevel.ULTRASERVER)
        .setWindowStart(Instant.ofEpochMilli(0))
        .setWindowEnd(Instant.ofEpochMilli(60_000))
        .setUltraserverId(3).setSite("us-pa").setGeneration("trn2")
        .setUltraservers(1).setSamples(384).setChipsReporting(64).setChipSeconds(3840)
        .setUtilizationSum(300).setUtilizationAvg(0.78).setUtilizationP50(0.8).setUtilizationP95(0.9)
        .setUtilizationP99(0.95).setUtilizationSketch(java.nio.ByteBuffer.wrap(new byte[] {1, 2}))
        .setHbmUsedSumGib(1).setHbmCapacitySumGib(2).setHbmUsedAvgGib(1).setHbmUtil(0.5)
        .setPowerSumW(1).setPowerAvgW(1).setPowerMaxW(1).setItEnergyKwh(1).setPue(1.15)
        .setFacilityEnergyKwh(1.15).setResidualFacilityEnergyKwh(1).setIdleSamples(0).setIdleEnergyKwh(0)
        .setDeliveredPflop(1).setEfficiencyTflopsPerW(1).setGridFactorGPerKwh(272)
        .setCarbonLocationKg(1).setCarbonMarketKg(1).setCarbonLocationGPerPflop(1).setCarbonMarketGPerPflop(1)
        .setCostUsd(1).setUsdPerPflop(1).setGpuReferenceUsdPerPflop(2).setPricePerfVsGpu(1)
        .setResidualFactorGPerKwh(295).setGridCfeEnergyKwh(0.4).setCfeShare(0.5).setEmbodiedCarbonKg(0.01)
        .setCarbonTotalGPerPflop(2).setCarbonTotalMarketGPerPflop(2).setHourlyFactorWindows(1)
        .build();
    assertThat(AvroCodec.WINDOW_METRICS.decode(AvroCodec.WINDOW_METRICS.encode(m))).isEqualTo(m);
  }

  private static byte[] encodeGeneric(Schema schema, GenericRecord record) {
    try {
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record).array();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
