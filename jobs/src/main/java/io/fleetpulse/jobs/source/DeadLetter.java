package io.fleetpulse.jobs.source;

/**
 * A record the job could not use, kept whole: the original key and value bytes, where they came from, and why
 * they were set aside. Written to the dead-letter topic with the bytes unchanged and the rest as headers.
 */
public class DeadLetter {

  /** Why a record was set aside; the names are the values of the dead-letter header and metric. */
  public enum Reason {
    EMPTY,
    NOT_AVRO,
    UNKNOWN_SCHEMA,
    MALFORMED,
    OUT_OF_RANGE,
    UNKNOWN_SITE,
    UNKNOWN_GENERATION,
    LATE
  }

  public Reason reason;
  public String detail;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;
  public byte[] key;
  public byte[] value;

  public DeadLetter() {}

  public DeadLetter(Reason reason, String detail, String sourceTopic, int sourcePartition, long sourceOffset,
      byte[] key, byte[] value) {
    this.reason = reason;
    this.detail = detail;
    this.sourceTopic = sourceTopic;
    this.sourcePartition = sourcePartition;
    this.sourceOffset = sourceOffset;
    this.key = key;
    this.value = value;
  }

  @Override
  public String toString() {
    return "DeadLetter{" + reason + ": " + detail + " @" + sourceTopic + "/" + sourcePartition + "/" + sourceOffset
        + "}";
  }
}
