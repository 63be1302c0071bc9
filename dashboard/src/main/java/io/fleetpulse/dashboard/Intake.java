package io.fleetpulse.dashboard;

import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.DecodeException;
import io.fleetpulse.schema.WindowMetrics;

/**
 * One record's way from Kafka bytes onto the board: size, decoding, checks, event time. Whatever the bytes, it
 * returns: a record that is not shown is counted under its {@link SkipReason} and logged (at a bounded rate),
 * and even a failure of the dashboard's own code on a record only skips that record, so no record can stop the
 * Kafka thread. Not thread-safe: the Kafka thread's.
 */
final class Intake {

  /** Longest message kept about a skipped record (in the status and the log). */
  static final int MESSAGE_CHARS = 300;

  private final FleetBoard board;
  private final StreamStatus status;
  private final SkipLog log;

  Intake(FleetBoard board, StreamStatus status, SkipLog log) {
    AvroCodec.enforceDecodingLimits();
    this.board = board;
    this.status = status;
    this.log = log;
  }

  /** A record of a metrics topic. */
  void window(byte[] value, String where, Arrival arrival) {
    take(value, where, arrival, false);
  }

  /** A record of the alerts topic. */
  void alert(byte[] value, String where, Arrival arrival) {
    take(value, where, arrival, true);
  }

  private void take(byte[] value, String where, Arrival arrival, boolean alert) {
    status.record();
    try {
      if (value == null || value.length == 0) {
        throw new RecordRejected(SkipReason.EMPTY, value == null ? "no value (a tombstone)" : "zero bytes");
      }
      // Before decoding: the decoder would allocate what the record's length fields claim, up to its limits.
      if (value.length > RecordCheck.MAX_RECORD_BYTES) {
        throw new RecordRejected(SkipReason.OVERSIZED, String.format("%,d bytes, at most %,d", value.length,
            RecordCheck.MAX_RECORD_BYTES));
      }
      if (alert) {
        board.accept(decode(AvroCodec.ALERT, value));
      } else {
        WindowMetrics m = decode(AvroCodec.WINDOW_METRICS, value);
        if (board.accept(m, arrival) == FleetBoard.Outcome.CHANGED) {
          status.windowChanged(arrival.receivedAt(), board.newestWindowEnd());
        }
      }
    } catch (RecordRejected e) {
      skip(e.reason(), where, e.getMessage(), null);
      // A held record may have moved the board in event time, even backwards.
      if (!alert) status.newestWindowEnd(board.newestWindowEnd());
    } catch (RuntimeException e) {
      skip(SkipReason.INTERNAL, where, e.toString(), e);
    }
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> T decode(AvroCodec<T> codec, byte[] value) {
    try {
      return codec.decode(value);
    } catch (DecodeException e) {
      SkipReason reason = switch (e.reason()) {
        case EMPTY -> SkipReason.EMPTY;
        case NOT_AVRO -> SkipReason.NOT_AVRO;
        case UNKNOWN_SCHEMA -> SkipReason.UNKNOWN_SCHEMA;
        default -> SkipReason.MALFORMED;
      };
      throw new RecordRejected(reason, e.getMessage());
    }
  }

  private void skip(SkipReason reason, String where, String message, Throwable cause) {
    String line = oneLine(message);
    long n = status.skipped(reason, where, line);
    log.skipped(reason, n, where, line, cause);
  }

  /** At most {@link #MESSAGE_CHARS}, without control characters: messages may quote bytes from Kafka. */
  static String oneLine(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(Math.min(s.length(), MESSAGE_CHARS) + 8);
    for (int i = 0; i < s.length() && b.length() < MESSAGE_CHARS; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (s.length() > MESSAGE_CHARS) b.append("...");
    return b.toString();
  }
}
