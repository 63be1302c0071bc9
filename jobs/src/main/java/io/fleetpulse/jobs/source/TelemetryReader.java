package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.DecodeException;
import io.fleetpulse.schema.ProgressMarker;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reads the records of the telemetry topic partition by partition: decodes and validates each one
 * ({@link TelemetryDecoder}), keeps each partition's {@link PartitionClock}, sets aside samples stamped too far ahead of
 * their partition (FUTURE), and stamps every record with the watermark its partition now vouches for. One instance
 * per source reader; the Kafka deserializer and the in-memory sources of the tests share it.
 */
public final class TelemetryReader implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Seeds a partition's clock before its first record is judged: the reference time, or Long.MIN_VALUE. */
  public interface ClockSeed extends Serializable {
    long referenceAt(String topic, int partition, long offset);
  }

  private final TelemetryDecoder decoder;
  private final long skewMs;
  private final long outOfOrdernessMs;
  private final long markerTimeoutNanos;
  private final ClockSeed seed;
  private transient PartitionClock[] clocks;

  /**
   * @param skew how far ahead of its partition's time a sample may be stamped (--max-event-time-skew)
   * @param outOfOrderness how far behind its partition's time a sample may arrive without markers
   * @param markerTimeout how long (wall clock) markers may pause before the partition falls back to sample times
   * @param seed reads ahead to seed a partition's clock, or null
   */
  public TelemetryReader(TelemetryDecoder decoder, Duration skew, Duration outOfOrderness, Duration markerTimeout,
      ClockSeed seed) {
    this.decoder = decoder;
    this.skewMs = skew.toMillis();
    this.outOfOrdernessMs = outOfOrderness.toMillis();
    this.markerTimeoutNanos = markerTimeout.toNanos();
    this.seed = seed;
  }

  public TelemetryRecord read(String topic, int partition, long offset, byte[] key, byte[] value) {
    PartitionClock clock = clock(partition);
    long now = System.nanoTime();
    TelemetryRecord out;
    if (decoder.isProgressMarker(value)) {
      out = marker(clock, topic, partition, offset, key, value, now);
    } else {
      out = decoder.decode(topic, partition, offset, key, value);
      if (out.isValid()) out = judge(clock, out, topic, partition, offset, key, value);
    }
    out.watermark = clock.watermark(now);
    return out;
  }

  private TelemetryRecord marker(PartitionClock clock, String topic, int partition, long offset, byte[] key,
      byte[] value, long now) {
    try {
      ProgressMarker m = decoder.decodeMarker(value);
      clock.onMarker(m, now);
      return TelemetryRecord.progressMarker();
    } catch (DecodeException e) {
      return TelemetryDecoder.dead(e.reason(), e.getMessage(), topic, partition, offset, key, value);
    }
  }

  private TelemetryRecord judge(PartitionClock clock, TelemetryRecord sample, String topic, int partition,
      long offset, byte[] key, byte[] value) {
    if (seed != null && !clock.seedTried() && clock.reference() == Long.MIN_VALUE) {
      clock.seed(seed.referenceAt(topic, partition, offset));
    }
    ChipReading r = sample.reading;
    clock.observe(r.chipId, r.eventTime);
    if (!clock.isAhead(r.eventTime, skewMs)) return sample;
    long reference = clock.reference();
    return TelemetryDecoder.dead(DeadLetterReason.FUTURE, "event_time " + Instant.ofEpochMilli(r.eventTime) + " is "
        + Duration.ofMillis(r.eventTime - reference) + " ahead of partition " + partition + "'s event time "
        + Instant.ofEpochMilli(reference) + " (at most " + Duration.ofMillis(skewMs) + ")", topic, partition,
        offset, key, value);
  }

  /** Whether every shard writing this partition said its run ended. */
  public boolean endOfRun(int partition) {
    return clock(partition).endOfRun();
  }

  public boolean followsMarkers(int partition) {
    return clock(partition).followsMarkers(System.nanoTime());
  }

  private PartitionClock clock(int partition) {
    if (clocks == null) clocks = new PartitionClock[Math.max(partition + 1, 16)];
    if (partition >= clocks.length) clocks = Arrays.copyOf(clocks, Math.max(partition + 1, 2 * clocks.length));
    PartitionClock c = clocks[partition];
    if (c == null) {
      c = new PartitionClock(outOfOrdernessMs, markerTimeoutNanos);
      clocks[partition] = c;
    }
    return c;
  }
}
