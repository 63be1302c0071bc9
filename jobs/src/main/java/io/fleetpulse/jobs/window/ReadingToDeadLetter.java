package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.jobs.source.Readings;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A valid reading that did not count ({@link UltraServerWindows}, which counts them in {@code fleetpulse.dead_letters_<REASON>})
 * becomes a dead letter, re-encoded as the ChipSample it came from, so it is kept rather than dropped: LATE when it
 * arrived after its window closed, DUPLICATE when its chip already had a sample for that interval.
 */
public final class ReadingToDeadLetter implements MapFunction<ChipReading, DeadLetter> {

  private static final long serialVersionUID = 1L;
  private final DeadLetterReason reason;

  public ReadingToDeadLetter(DeadLetterReason reason) {
    if (reason != DeadLetterReason.LATE && reason != DeadLetterReason.DUPLICATE) {
      throw new IllegalArgumentException("the window only sets aside LATE and DUPLICATE readings, not " + reason);
    }
    this.reason = reason;
  }

  @Override
  public DeadLetter map(ChipReading r) {
    return toDeadLetter(r);
  }

  DeadLetter toDeadLetter(ChipReading r) {
    byte[] value = AvroCodec.CHIP_SAMPLE.encode(Readings.toSample(r));
    byte[] key = Integer.toString(r.ultraserverId).getBytes(StandardCharsets.UTF_8);
    String detail = reason == DeadLetterReason.LATE
        ? "event_time " + Instant.ofEpochMilli(r.eventTime) + " arrived after its window closed"
        : "chip " + r.chipId + " already has a sample for the interval of " + Instant.ofEpochMilli(r.eventTime);
    return new DeadLetter(reason, detail, "window", -1, -1, key, value);
  }
}
