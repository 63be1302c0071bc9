package io.fleetpulse.jobs.rollup;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Sends each UltraServer window to the three groups it belongs to: its site, its generation, and the fleet. */
public final class RollUpTargets implements FlatMapFunction<WindowMetrics, RollUpAccumulator> {

  private static final long serialVersionUID = 1L;

  @Override
  public void flatMap(WindowMetrics ultraserver, Collector<RollUpAccumulator> out) {
    // One copy of the sums for the three: each is written to the network as it is emitted, and nobody changes it.
    MetricSums sums = MetricSums.of(ultraserver);
    out.collect(RollUpAccumulator.of(AggregationLevel.SITE, ultraserver.getSite(), null, sums));
    out.collect(RollUpAccumulator.of(AggregationLevel.GENERATION, null, ultraserver.getGeneration(), sums));
    out.collect(RollUpAccumulator.of(AggregationLevel.FLEET, null, null, sums));
  }
}
