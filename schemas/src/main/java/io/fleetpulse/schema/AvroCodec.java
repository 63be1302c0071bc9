package io.fleetpulse.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one wire format of FleetPulse: Avro single-object encoding (2-byte marker, 8-byte schema
 * fingerprint, Avro binary body). Every module reads and writes Kafka through this class.
 *
 * <p>Why single-object encoding rather than bare Avro binary: there is no schema registry here, and a
 * record has to say which schema wrote it, so a consumer can tell an unknown schema apart from corrupt
 * bytes (the two go to the dead-letter topic with different reasons) and can still read records
 * written by an older schema version once it is registered with {@link #withOlderSchema}.
 *
 * <p>Thread-safe: Avro's message encoder and decoder keep their buffers per thread. Serializable as a reference to
 * the shared instance of its schema, so Flink functions can capture one.
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final Map<String, AvroCodec<?>> BY_SCHEMA = new ConcurrentHashMap<>();

  /**
   * What one decoded record may make Avro allocate. A record is at most a Kafka message (1 MiB by default), but its
   * length fields can claim anything: a 40-byte record saying "a string of 1 GB follows" would have the decoder
   * allocate the gigabyte before finding the bytes missing. Avro (>= 1.11.3) reads these limits once, when its
   * decoders first load; a value set on the JVM's command line wins.
   */
  public static final long MAX_STRING_BYTES = 1 << 20;
  public static final long MAX_BYTES = 1 << 20;
  public static final long MAX_COLLECTION_ITEMS = 100_000;

  private static final String STRING_LIMIT = "org.apache.avro.limits.string.maxLength";

  static {
    limit(STRING_LIMIT, MAX_STRING_BYTES);
    limit("org.apache.avro.limits.bytes.maxLength", MAX_BYTES);
    limit("org.apache.avro.limits.collectionItems.maxLength", MAX_COLLECTION_ITEMS);
    enforceDecodingLimits();
  }

  private static void limit(String property, long value) {
    if (System.getProperty(property) == null) System.setProperty(property, Long.toString(value));
  }

  /**
   * Avro reads its limits once, when {@link SystemLimitException} loads, and that may have happened before this class
   * set them: building any record with its builder decodes the schema's defaults through Avro. If the limits are not
   * in force, Avro is made to read them again (its own package-private resetLimits); a JVM where that is impossible
   * fails here, naming the flags that fix it, rather than decode with no limit. Runs when this class loads; a reader
   * of Kafka calls it again before its first record, in case something reset Avro since.
   */
  public static synchronized void enforceDecodingLimits() {
    if (limitsInForce()) return;
    try {
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("Avro's decoding limits are not in force and cannot be reloaded: start the JVM "
          + "with -D" + STRING_LIMIT + "=" + MAX_STRING_BYTES + " (and the bytes and collectionItems limits)", e);
    }
    if (!limitsInForce()) throw new IllegalStateException("Avro's decoding limits are not in force after reloading them");
  }

  /** Whether a string one byte over the configured limit is refused (a limit of none on the command line is kept). */
  public static boolean limitsInForce() {
    long limit = Long.getLong(STRING_LIMIT, MAX_STRING_BYTES);
    if (limit >= Integer.MAX_VALUE - 8) return true;
    try {
      SystemLimitException.checkMaxStringLength(limit + 1);
      return false;
    } catch (SystemLimitException e) {
      return true;
    }
  }

  public static final AvroCodec<ChipSample> CHIP_SAMPLE = new AvroCodec<>(ChipSample.getClassSchema());
  public static final AvroCodec<WindowMetrics> WINDOW_METRICS =
      new AvroCodec<>(WindowMetrics.getClassSchema());
  public static final AvroCodec<Alert> ALERT = new AvroCodec<>(Alert.getClassSchema());
  public static final AvroCodec<ProgressMarker> PROGRESS_MARKER = new AvroCodec<>(ProgressMarker.getClassSchema());
  public static final AvroCodec<GridIntensity> GRID_INTENSITY = new AvroCodec<>(GridIntensity.getClassSchema());

  private final String schemaName;
  private final transient org.apache.avro.Schema schema;
  private final transient BinaryMessageEncoder<T> encoder;
  private final transient BinaryMessageDecoder<T> decoder;

  private AvroCodec(org.apache.avro.Schema schema) {
    this.schemaName = schema.getFullName();
    this.schema = schema;
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
    BY_SCHEMA.put(schemaName, this);
  }

  /** Deserialized codecs are the shared instance of their schema. */
  private Object readResolve() {
    AvroCodec<?> shared = BY_SCHEMA.get(schemaName);
    if (shared == null) throw new IllegalStateException("no codec for schema " + schemaName);
    return shared;
  }

  /** Lets this codec read records written with an older version of its schema (Avro resolution). */
  public AvroCodec<T> withOlderSchema(org.apache.avro.Schema writerSchema) {
    decoder.addSchema(writerSchema);
    return this;
  }

  public org.apache.avro.Schema schema() {
    return schema;
  }

  /** The 64-bit parsing fingerprint that single-object encoding writes after its 2-byte marker. */
  public long fingerprint() {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /**
   * The schema fingerprint a single-object encoded value starts with, read without decoding; {@link #NOT_SINGLE_OBJECT}
   * when the value is too short or lacks the marker.
   */
  public static long fingerprintOf(byte[] value) {
    if (value == null || value.length < HEADER_BYTES || value[0] != (byte) 0xC3 || value[1] != (byte) 0x01) {
      return NOT_SINGLE_OBJECT;
    }
    long fp = 0;
    for (int i = 0; i < 8; i++) fp |= (value[2 + i] & 0xFFL) << (8 * i);
    return fp;
  }

  /** Marker (2 bytes) and fingerprint (8 bytes, little-endian) before every body. */
  public static final int HEADER_BYTES = 10;
  /** What {@link #fingerprintOf} returns for bytes that are not single-object encoded (no schema has it). */
  public static final long NOT_SINGLE_OBJECT = 0;

  public byte[] encode(T record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(128);
      encoder.encode(record, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + schema.getName(), e);
    }
  }

  /** Decodes one record, or throws {@link DecodeException} saying why the bytes are not one. */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new DecodeException(DeadLetterReason.EMPTY, "record has no value (null)", null);
    }
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new DecodeException(DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage(), e);
    } catch (BadHeaderException e) {
      throw new DecodeException(DeadLetterReason.NOT_AVRO, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // Truncated or garbled bodies surface as EOF, negative lengths or index errors deep in Avro.
      throw new DecodeException(
          DeadLetterReason.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
