package io.fleetpulse.jobs;

/** Test access to how the window function builds its per-chip side output. */
public final class ChipWindowStatsFactory {

  private ChipWindowStatsFactory() {}

  public static ChipWindowStats of(UltraServerAccumulator acc, long start, long end, MetricFactors factors) {
    MetricSums sums = MetricSums.ofUltraServer(acc, factors.site(acc.site), factors.generation(acc.generation));
    return ChipWindowStats.of(acc, start, end, sums);
  }
}
