package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.source.ChipReading;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds an UltraServer's readings into its window accumulator, one reading at a time (no buffering of records). */
public final class UltraServerAggregate
    implements AggregateFunction<ChipReading, UltraServerAccumulator, UltraServerAccumulator> {

  private static final long serialVersionUID = 1L;

  @Override
  public UltraServerAccumulator createAccumulator() {
    return new UltraServerAccumulator();
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
