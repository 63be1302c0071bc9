package io.fleetpulse.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.DecodeException;
import io.fleetpulse.schema.WorkloadKind;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast reader against Avro's own decoder: the same values for every sample, the same verdict on damage. */
class ChipSampleReaderTest {

  static final List<String> SITES = List.of("us-in", "us-pa", "us-ms");
  static final List<String> GENERATIONS = List.of("trn1", "trn2", "trn3");
  static final List<String> TENANTS = List.of("search", "research");
  final ChipSampleReader reader = new ChipSampleReader(SITES, GENERATIONS, TENANTS);

  static ChipSample random(Random rnd) {
    String[] strings = {"us-in", "us-pa", "trn2", "", "mars-1", "ü-ß-字", "x".repeat(rnd.nextInt(300))};
    double[] doubles = {0, 1, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, rnd.nextDouble() * 1e6};
    int[] ints = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, rnd.nextInt()};
    long[] longs = {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, rnd.nextLong()};
    return ChipSample.newBuilder()
        .setChipId(ints[rnd.nextInt(ints.length)]).setInstanceId(rnd.nextInt()).setUltraserverId(rnd.nextInt(1 << 20))
        .setSite(strings[rnd.nextInt(strings.length)]).setGeneration(strings[rnd.nextInt(strings.length)])
        .setWorkloadId(ints[rnd.nextInt(ints.length)])
        .setWorkloadKind(WorkloadKind.values()[rnd.nextInt(WorkloadKind.values().length)])
        .setEventTime(Instant.ofEpochMilli(longs[rnd.nextInt(longs.length)] / 1000))
        .setIntervalMs(ints[rnd.nextInt(ints.length)])
        .setUtilization(doubles[rnd.nextInt(doubles.length)]).setHbmUsedGib(doubles[rnd.nextInt(doubles.length)])
        .setPowerW(doubles[rnd.nextInt(doubles.length)]).setRenewableShare(doubles[rnd.nextInt(doubles.length)])
        .setEccCorrectedTotal(longs[rnd.nextInt(longs.length)]).setEccUncorrectedTotal(rnd.nextLong())
        .setTenant(rnd.nextInt(3) == 0 ? null : rnd.nextBoolean() ? "search" : strings[rnd.nextInt(strings.length)])
        .build();
  }

  /** Avro's verdict as a reading, or null when it finds the bytes malformed. */
  static ChipReading avro(byte[] bytes) {
    try {
      return TelemetryDecoder.toReading(AvroCodec.CHIP_SAMPLE.decode(bytes));
    } catch (DecodeException e) {
      assertThat(e.reason()).isEqualTo(DeadLetterReason.MALFORMED);
      return null;
    }
  }

  ChipReading fast(byte[] bytes) {
    try {
      return reader.read(bytes);
    } catch (DecodeException e) {
      assertThat(e.reason()).isEqualTo(DeadLetterReason.MALFORMED);
      return null;
    }
  }

  static String describe(ChipReading r) {
    return r == null ? "malformed" : r.chipId + "," + r.instanceId + "," + r.ultraserverId + "," + r.site + ","
        + r.generation + "," + r.workloadId + "," + r.workloadKind + "," + r.eventTime + "," + r.intervalMs + ","
        + Double.doubleToRawLongBits(r.utilization) + "," + Double.doubleToRawLongBits(r.hbmUsedGib) + ","
        + Double.doubleToRawLongBits(r.powerW) + "," + Double.doubleToRawLongBits(r.renewableShare) + ","
        + r.eccCorrectedTotal + "," + r.eccUncorrectedTotal + "," + r.tenant;
  }

  @Test
  void everySampleReadsAsAvroReadsIt() {
    Random rnd = new Random(1);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = AvroCodec.CHIP_SAMPLE.encode(random(rnd));
      assertThat(describe(fast(bytes))).isEqualTo(describe(avro(bytes)));
    }
  }

  @Test
  void knownSitesAndGenerationsAreTheConfigsOwnStrings() {
    ChipSample s = random(new Random(2));
    s.setSite("us-pa");
    s.setGeneration("trn3");
    ChipReading r = reader.read(AvroCodec.CHIP_SAMPLE.encode(s));
    assertThat(r.site).isSameAs(SITES.get(1));
    assertThat(r.generation).isSameAs(GENERATIONS.get(2));
  }

  @Test
  void damagedBytesGetAvrosVerdict() {
    Random rnd = new Random(3);
    int malformed = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] bytes = AvroCodec.CHIP_SAMPLE.encode(random(rnd));
      byte[] damaged = switch (rnd.nextInt(3)) {
        case 0 -> Arrays.copyOf(bytes, 10 + rnd.nextInt(bytes.length - 10)); // truncated
        case 1 -> flip(bytes, rnd);
        default -> splice(bytes, rnd);
      };
      ChipReading expected = avro(damaged);
      if (expected == null) malformed++;
      assertThat(describe(fast(damaged))).as("bytes %s", Arrays.toString(damaged)).isEqualTo(describe(expected));
    }
    assertThat(malformed).as("damaged records found malformed").isGreaterThan(10_000);
  }

  @Test
  void aLengthBeyondTheRecordIsMalformedWithoutReadingIt() {
    ChipSample s = random(new Random(4));
    s.setChipId(1);
    s.setInstanceId(1);
    s.setUltraserverId(1);
    byte[] bytes = AvroCodec.CHIP_SAMPLE.encode(s);
    // Header, three one-byte ids, then the site's length: 2^30, five bytes, in a record of 18.
    byte[] bomb = Arrays.copyOf(bytes, 18);
    long z = (1L << 30) << 1;
    for (int i = 0; i < 5; i++) {
      bomb[13 + i] = (byte) ((z & 0x7F) | (i < 4 ? 0x80 : 0));
      z >>>= 7;
    }
    assertThat(avro(bomb)).isNull();
    assertThatThrownBy(() -> reader.read(bomb))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.getMessage()).contains("a string of"));
  }

  static byte[] flip(byte[] b, Random rnd) {
    byte[] c = b.clone();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) c[10 + rnd.nextInt(c.length - 10)] ^= (byte) (1 << rnd.nextInt(8));
    return c;
  }

  static byte[] splice(byte[] b, Random rnd) {
    int at = 10 + rnd.nextInt(b.length - 10);
    byte[] junk = new byte[1 + rnd.nextInt(8)];
    rnd.nextBytes(junk);
    byte[] c = new byte[b.length + junk.length];
    System.arraycopy(b, 0, c, 0, at);
    System.arraycopy(junk, 0, c, at, junk.length);
    System.arraycopy(b, at, c, at + junk.length, b.length - at);
    return c;
  }
}
