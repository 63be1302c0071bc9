package io.fleetpulse.jobs.source;

/**
 * What the Kafka source emits for each record: a validated reading, a dead letter saying why not, or a producer's
 * progress marker. Deciding this inside the source, per partition, lets the partition's watermark come only from
 * what the partition itself vouches for ({@link #watermark}): a bad record never moves event time.
 */
public class TelemetryRecord {
  public ChipReading reading;
  public DeadLetter deadLetter;
  /** True for a progress marker: it carries only {@link #watermark} and goes no further than the source. */
  public boolean progress;
  /**
   * The event time up to which this record's partition is complete once this record is read (a watermark), or
   * Long.MIN_VALUE when the partition cannot vouch for any yet.
   */
  public long watermark = Long.MIN_VALUE;

  public TelemetryRecord() {}

  public static TelemetryRecord valid(ChipReading reading) {
    TelemetryRecord r = new TelemetryRecord();
    r.reading = reading;
    return r;
  }

  public static TelemetryRecord invalid(DeadLetter deadLetter) {
    TelemetryRecord r = new TelemetryRecord();
    r.deadLetter = deadLetter;
    return r;
  }

  public static TelemetryRecord progressMarker() {
    TelemetryRecord r = new TelemetryRecord();
    r.progress = true;
    return r;
  }

  public boolean isValid() {
    return reading != null;
  }

  /** Event time of a valid reading; Long.MIN_VALUE otherwise. */
  public long eventTime() {
    return reading != null ? reading.eventTime : Long.MIN_VALUE;
  }
}
