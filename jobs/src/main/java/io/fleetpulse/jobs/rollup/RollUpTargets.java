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
    out.collect(RollUpAccumulator.of(AggregationLevel.SITE, ultraserver.getSite(), null, MetricSums.of(ultraserver)));
    out.collect(RollUpAccumulator.of(AggregationLevel.GENERATION, null, ultraserver.getGeneration(),
        MetricSums.of(ultraserver)));
    out.collect(RollUpAccumulator.of(AggregationLevel.FLEET, null, null, MetricSums.of(ultraserver)));
  }
}
