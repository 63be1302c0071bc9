package io.fleetpulse.generator;

import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.ChipSample;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.SchemaNormalization;

/**
 * Encodes a {@link Sample} straight into the bytes {@code AvroCodec.CHIP_SAMPLE.encode} would produce (Avro
 * single-object encoding of ChipSample), without building a ChipSample or a String per record. The generator's
 * hot path; {@code ChipSampleWriterTest} holds it byte-for-byte to the Avro library's encoder.
 */
public final class ChipSampleWriter {

  private static final byte[] HEADER = header();
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[][] siteUtf8;
  private final byte[][] generationUtf8;
  private final byte[][] tenantUtf8;
  private final byte[] buf = new byte[256];
  private int pos;

  public ChipSampleWriter(FleetLayout layout) {
    this.siteUtf8 = utf8(layout.siteIds());
    this.generationUtf8 = utf8(layout.generationIds());
    this.tenantUtf8 = utf8(layout.tenantIds());
  }

  /** Encodes one sample; the returned array is new and owned by the caller (Kafka keeps it until sent). */
  public byte[] encode(Sample s) {
    pos = 0;
    System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
    pos = HEADER.length;
    writeLong(s.chip);
    writeLong(s.instance);
    writeLong(s.ultraserver);
    writeBytes(siteUtf8[s.site]);
    writeBytes(generationUtf8[s.generation]);
    writeLong(s.workload);
    writeLong(s.activity.ordinal());
    writeLong(s.eventTimeMs);
    writeLong(s.intervalMs);
    writeDouble(s.utilization);
    writeDouble(s.hbmUsedGib);
    writeDouble(s.powerW);
    writeDouble(s.renewableShare);
    writeLong(s.eccCorrectedTotal);
    writeLong(s.eccUncorrectedTotal);
    if (s.tenant < 0) {
      writeLong(0); // union branch null
    } else {
      writeLong(1);
      writeBytes(tenantUtf8[s.tenant]);
    }
    return Arrays.copyOf(buf, pos);
  }

  private void writeLong(long v) {
    long n = (v << 1) ^ (v >> 63); // zig-zag
    while ((n & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    buf[pos++] = (byte) n;
  }

  private void writeDouble(double d) {
    LITTLE_ENDIAN_LONG.set(buf, pos, Double.doubleToRawLongBits(d)); // Avro doubles: 8 bytes, little-endian
    pos += 8;
  }

  private void writeBytes(byte[] b) {
    writeLong(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  private static byte[][] utf8(java.util.List<String> names) {
    return names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  private static byte[] header() {
    long fp = SchemaNormalization.parsingFingerprint64(ChipSample.getClassSchema());
    byte[] h = new byte[10];
    h[0] = (byte) 0xC3;
    h[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) h[2 + i] = (byte) (fp >>> (8 * i));
    return h;
  }
}
