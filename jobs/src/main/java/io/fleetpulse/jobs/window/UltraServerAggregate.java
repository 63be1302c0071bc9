package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.source.ChipReading;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Folds an UltraServer's readings into its window accumulator, one reading at a time (no buffering of records);
 * a chip's second sample for the same interval is kept aside as a duplicate instead.
 */
public final class UltraServerAggregate
    implements AggregateFunction<ChipReading, UltraServerAccumulator, UltraServerAccumulator> {

  private static final long serialVersionUID = 2L;
  private final long windowMs;
  private final long minIntervalMs;

  /** For windows of {@code windowMs} whose samples are at least {@code minIntervalMs} apart (one per chip each). */
  public UltraServerAggregate(long windowMs, long minIntervalMs) {
    this.windowMs = windowMs;
    this.minIntervalMs = minIntervalMs;
  }

  @Override
  public UltraServerAccumulator createAccumulator() {
    return UltraServerAccumulator.forWindow(windowMs, minIntervalMs);
  }

  @Override
  public UltraServerAccumulator add(ChipReading reading, UltraServerAccumulator acc) {
    acc.add(reading);
    return acc;
  }

  @Override
  public UltraServerAccumulator getResult(UltraServerAccumulator acc) {
    return acc;
  }

  @Override
  public UltraServerAccumulator merge(UltraServerAccumulator a, UltraServerAccumulator b) {
    // Only merging window assigners (sessions) merge accumulators; this one is used with tumbling windows, where
    // per-chip counter increases would otherwise have to be re-ordered across the two halves.
    throw new UnsupportedOperationException("UltraServer windows are tumbling windows and never merge");
  }
}
