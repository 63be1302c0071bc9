package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.metrics.MetricSums;

/** Test access to how the window function builds its per-chip side output. */
public final class ChipWindowStatsFactory {

  private ChipWindowStatsFactory() {}

  public static ChipWindowStats of(UltraServerAccumulator acc, long start, long end, MetricFactors factors) {
    MetricSums sums = acc.readings.toSums(acc.chipsReporting(), factors.ultraServer(acc.site, acc.generation));
    return ChipWindowStats.of(acc, start, end, sums);
  }
}
