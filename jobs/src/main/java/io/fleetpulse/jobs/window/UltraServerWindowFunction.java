package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns an UltraServer's window accumulator into its {@link WindowMetrics}, applying the site's and chip's factors,
 * and sets the per-chip view of the same window aside ({@link #CHIP_STATS}) for the chip-level alert detectors.
 */
public final class UltraServerWindowFunction
    extends ProcessWindowFunction<UltraServerAccumulator, WindowMetrics, Integer, TimeWindow> {

  private static final long serialVersionUID = 2L;
  public static final OutputTag<ChipWindowStats> CHIP_STATS = new OutputTag<>("chip-window-stats") {};

  private final MetricFactors factors;

  public UltraServerWindowFunction(MetricFactors factors) {
    this.factors = factors;
  }

  @Override
  public void process(Integer ultraserver, Context ctx, Iterable<UltraServerAccumulator> accs,
      Collector<WindowMetrics> out) {
    UltraServerAccumulator acc = accs.iterator().next();
    // Site and generation were validated against the same factors when the record was decoded.
    MetricSums sums = acc.readings.toSums(acc.chipsReporting(), factors.ultraServer(acc.site, acc.generation));
    TimeWindow w = ctx.window();
    WindowMetrics m = sums.toWindowMetrics(AggregationLevel.ULTRASERVER, w.getStart(), w.getEnd(), ultraserver,
        acc.site, acc.generation, factors.gpuReferenceUsdPerPflop(), factors.describe(acc.site, acc.generation));
    m.setEmittedAt(Instant.now());
    out.collect(m);
    ctx.output(CHIP_STATS, ChipWindowStats.of(acc, w.getStart(), w.getEnd(), sums));
  }
}
