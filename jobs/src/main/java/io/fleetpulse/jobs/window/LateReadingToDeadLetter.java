package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.jobs.source.Readings;
import io.fleetpulse.schema.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * A reading that arrived after its window closed (watermark plus allowed lateness) becomes a dead letter with
 * reason LATE, re-encoded as the ChipSample it came from, so it is counted and kept rather than dropped.
 */
public final class LateReadingToDeadLetter extends RichMapFunction<ChipReading, DeadLetter> {

  private static final long serialVersionUID = 1L;
  private transient Counter late;

  @Override
  public void open(OpenContext ctx) {
    late = getRuntimeContext().getMetricGroup().addGroup("fleetpulse").counter("dead_letters_LATE");
  }

  @Override
  public DeadLetter map(ChipReading r) {
    late.inc();
    return toDeadLetter(r);
  }

  DeadLetter toDeadLetter(ChipReading r) {
    byte[] value = AvroCodec.CHIP_SAMPLE.encode(Readings.toSample(r));
    byte[] key = Integer.toString(r.ultraserverId).getBytes(StandardCharsets.UTF_8);
    return new DeadLetter(DeadLetter.Reason.LATE,
        "event_time " + Instant.ofEpochMilli(r.eventTime) + " arrived after its window closed", "window", -1, -1,
        key, value);
  }
}
