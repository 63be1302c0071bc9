package io.fleetpulse.jobs.source;

/** The telemetry topic's records through a {@link TelemetryReader}: a sample, a progress marker or a dead letter. */
public final class TelemetryDeserializer extends RecordDeserializer<TelemetryRecord> {

  private static final long serialVersionUID = 3L;

  public TelemetryDeserializer(TelemetryReader reader) {
    super(reader::read, TelemetryRecord.class);
  }
}
