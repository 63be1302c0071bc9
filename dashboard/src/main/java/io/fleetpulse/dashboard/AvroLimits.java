package io.fleetpulse.dashboard;

import io.fleetpulse.schema.AvroCodec;
import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;

/**
 * Makes sure Avro's decoding limits are in force before the dashboard decodes a record from Kafka: without them a
 * 40-byte record whose string length claims a gigabyte has the decoder allocate the gigabyte.
 *
 * <p>{@link AvroCodec} sets the limits as system properties in its static initializer, but Avro reads them only
 * once, when {@link SystemLimitException} loads, and that can happen before: building any record with its
 * builder decodes the schema's default values through Avro. In such a JVM the limits are never read. So this
 * checks that they hold, and if not, has Avro read them again (its own {@code resetLimits}, which it keeps
 * package-private for tests). The proper fix belongs in AvroCodec; this keeps the dashboard safe meanwhile.
 */
final class AvroLimits {

  private static final String STRING_LIMIT = "org.apache.avro.limits.string.maxLength";

  private AvroLimits() {}

  /** Throws IllegalStateException when the limits cannot be brought into force. */
  static synchronized void ensure() {
    // Loading AvroCodec sets the properties (unless the JVM's command line did).
    AvroCodec.WINDOW_METRICS.schema();
    if (inForce()) return;
    try {
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("Avro's decoding limits are not in force and cannot be reloaded: start the "
          + "JVM with -D" + STRING_LIMIT + "=" + AvroCodec.MAX_STRING_BYTES + " (and the bytes and collectionItems "
          + "limits)", e);
    }
    if (!inForce()) throw new IllegalStateException("Avro's decoding limits are not in force after reloading them");
  }

  /** Whether a string one byte over the configured limit is refused. */
  static boolean inForce() {
    long limit = Long.getLong(STRING_LIMIT, AvroCodec.MAX_STRING_BYTES);
    if (limit >= Integer.MAX_VALUE - 8) return true; // someone chose no limit on the command line: theirs to say
    try {
      SystemLimitException.checkMaxStringLength(limit + 1);
      return false;
    } catch (SystemLimitException e) {
      return true;
    }
  }
}
