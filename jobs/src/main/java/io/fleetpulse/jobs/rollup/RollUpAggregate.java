package io.fleetpulse.jobs.rollup;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds UltraServer sums into their group's sums: counts and sums add, maxima max, sketches merge. */
public final class RollUpAggregate
    implements AggregateFunction<RollUpAccumulator, RollUpAccumulator, RollUpAccumulator> {

  private static final long serialVersionUID = 1L;

  @Override
  public RollUpAccumulator createAccumulator() {
    return new RollUpAccumulator();
  }

  @Override
  public RollUpAccumulator add(RollUpAccumulator part, RollUpAccumulator acc) {
    acc.add(part);
    return acc;
  }

  @Override
  public RollUpAccumulator getResult(RollUpAccumulator acc) {
    return acc;
  }

  @Override
  public RollUpAccumulator merge(RollUpAccumulator a, RollUpAccumulator b) {
    return add(b, a);
  }
}
