package io.fleetpulse.jobs.source;

/**
 * What the Kafka source emits for each record: a reading when the bytes decoded and validated, otherwise a dead
 * letter. Deciding this inside the source lets watermarks come from valid event times only, per partition: a bad
 * record can never move event time.
 */
public class TelemetryRecord {
  public ChipReading reading;
  public DeadLetter deadLetter;

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

  public boolean isValid() {
    return reading != null;
  }

  /** Event time of a valid reading; Long.MIN_VALUE otherwise, which no watermark generator moves forward on. */
  public long eventTime() {
    return reading != null ? reading.eventTime : Long.MIN_VALUE;
  }
}
