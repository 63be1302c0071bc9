package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.DeadLetterReason;

/**
 * A record the job could not use: why, where it came from, and its original key and value bytes. The dead-letter
 * sink writes the bytes unchanged (up to its bound) and the rest as headers. The detail is cut to
 * {@link #MAX_DETAIL_CHARS} here, whatever built it: a detail that quotes a 600 KB field must not become a 600 KB
 * header.
 */
public class DeadLetter {

  public static final int MAX_DETAIL_CHARS = 500;
  /** How much of a field's value a detail quotes. */
  static final int MAX_QUOTED_CHARS = 64;

  public DeadLetterReason reason;
  public String detail;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;
  public byte[] key;
  public byte[] value;

  public DeadLetter() {}

  public DeadLetter(DeadLetterReason reason, String detail, String sourceTopic, int sourcePartition,
      long sourceOffset, byte[] key, byte[] value) {
    this.reason = reason;
    this.detail = cut(String.valueOf(detail), MAX_DETAIL_CHARS);
    this.sourceTopic = sourceTopic;
    this.sourcePartition = sourcePartition;
    this.sourceOffset = sourceOffset;
    this.key = key;
    this.value = value;
  }

  /** A field's value for a detail: in quotes, and cut with its full length said when it is long. */
  public static String quote(CharSequence value) {
    return "'" + cut(String.valueOf(value), MAX_QUOTED_CHARS) + "'";
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
  }

  @Override
  public String toString() {
    return "DeadLetter{" + reason + ": " + detail + " @" + sourceTopic + "/" + sourcePartition + "/" + sourceOffset
        + "}";
  }
}
