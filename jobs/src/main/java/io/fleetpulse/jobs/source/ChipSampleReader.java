package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.DecodeException;
import io.fleetpulse.schema.WorkloadKind;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * Reads a ChipSample of the current schema straight from its single-object encoded bytes into a {@link ChipReading},
 * without an Avro record, a String per field or an Instant: the job's hottest path, and bounded by construction (a
 * length is checked against the bytes that are there before anything is read). The site and generation come back as
 * the config's own String instances when they are known ones. The mirror of the generator's ChipSampleWriter; the
 * tests hold it to Avro's decoder, value for value, and to the same verdict on damaged bytes.
 */
public final class ChipSampleReader implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int KINDS = WorkloadKind.values().length;

  private final String[] sites;
  private final byte[][] siteBytes;
  private final String[] generations;
  private final byte[][] generationBytes;
  private final String[] tenants;
  private final byte[][] tenantBytes;

  public ChipSampleReader(Collection<String> sites, Collection<String> generations, Collection<String> tenants) {
    this.sites = sites.toArray(String[]::new);
    this.siteBytes = utf8(this.sites);
    this.generations = generations.toArray(String[]::new);
    this.generationBytes = utf8(this.generations);
    this.tenants = tenants.toArray(String[]::new);
    this.tenantBytes = utf8(this.tenants);
  }

  /** The fingerprint this reader reads (the current ChipSample schema). */
  public static long fingerprint() {
    return AvroCodec.CHIP_SAMPLE.fingerprint();
  }

  /** Reads one sample; throws {@link DecodeException} (MALFORMED) when the body does not hold one. */
  public ChipReading read(byte[] b) {
    Cursor c = new Cursor(b);
    ChipReading r = new ChipReading();
    r.chipId = c.readInt();
    r.instanceId = c.readInt();
    r.ultraserverId = c.readInt();
    r.site = c.readString(sites, siteBytes);
    r.generation = c.readString(generations, generationBytes);
    r.workloadId = c.readInt();
    int kind = c.readInt();
    if (kind < 0 || kind >= KINDS) throw malformed("workload_kind " + kind + " is no WorkloadKind symbol");
    r.workloadKind = kind;
    r.eventTime = c.readLong();
    r.intervalMs = c.readInt();
    r.utilization = c.readDouble();
    r.hbmUsedGib = c.readDouble();
    r.powerW = c.readDouble();
    r.renewableShare = c.readDouble();
    r.eccCorrectedTotal = c.readLong();
    r.eccUncorrectedTotal = c.readLong();
    int branch = c.readInt();
    if (branch == 1) {
      r.tenant = c.readString(tenants, tenantBytes);
    } else if (branch != 0) {
      throw malformed("tenant: union branch " + branch + " of [null, string]");
    }
    return r;
  }

  static DecodeException malformed(String why) {
    return new DecodeException(DeadLetterReason.MALFORMED, why, null);
  }

  private static byte[][] utf8(String[] names) {
    return Arrays.stream(names).map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  /** A position in the bytes; every read checks that what it needs is there. */
  private static final class Cursor {
    private final byte[] b;
    private int pos = AvroCodec.HEADER_BYTES;

    Cursor(byte[] b) {
      this.b = b;
    }

    /** Avro's zig-zag int: at most 5 bytes, bits beyond 32 dropped as Avro drops them. */
    int readInt() {
      int n = 0;
      for (int i = 0, shift = 0; i < 5; i++, shift += 7) {
        int x = next();
        n |= (x & 0x7F) << shift;
        if ((x & 0x80) == 0) return (n >>> 1) ^ -(n & 1);
      }
      throw malformed("an int longer than 5 bytes at byte " + pos);
    }

    /** Avro's zig-zag long: at most 10 bytes. */
    long readLong() {
      long n = 0;
      for (int i = 0, shift = 0; i < 10; i++, shift += 7) {
        int x = next();
        n |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) return (n >>> 1) ^ -(n & 1);
      }
      throw malformed("a long longer than 10 bytes at byte " + pos);
    }

    private int next() {
      if (pos >= b.length) throw malformed("the record ends inside a number (" + b.length + " bytes)");
      return b[pos++];
    }

    double readDouble() {
      if (pos + 8 > b.length) throw malformed("the record ends inside a double (" + b.length + " bytes)");
      double d = Double.longBitsToDouble((long) LITTLE_ENDIAN_LONG.get(b, pos));
      pos += 8;
      return d;
    }

    /** A string: one of the known ones (their own instance) when its bytes are, else a new String. */
    String readString(String[] known, byte[][] knownBytes) {
      long length = readLong();
      if (length < 0 || length > b.length - pos) {
        throw malformed("a string of " + length + " bytes at byte " + pos + " in a record of " + b.length);
      }
      int n = (int) length;
      for (int k = 0; k < knownBytes.length; k++) {
        byte[] kb = knownBytes[k];
        if (kb.length == n && Arrays.equals(b, pos, pos + n, kb, 0, n)) {
          pos += n;
          return known[k];
        }
      }
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }
  }
}
