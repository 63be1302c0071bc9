package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Instant;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns an UltraServer's window accumulator into its {@link WindowMetrics}, applying the site's and chip's factors,
 * and sets the per-chip view of the same window aside ({@link #CHIP_STATS}) for the chip-level alert detectors, and
 * the duplicates it did not count ({@link #DUPLICATES}) for the dead-letter topic.
 */
public final class UltraServerWindowFunction
    extends ProcessWindowFunction<UltraServerAccumulator, WindowMetrics, Integer, TimeWindow> {

  private static final long serialVersionUID = 2L;
  public static final OutputTag<ChipWindowStats> CHIP_STATS = new OutputTag<>("chip-window-stats") {};
  /** Readings that arrived after their window closed (watermark plus allowed lateness). */
  public static final OutputTag<ChipReading> LATE = new OutputTag<>("late-readings") {};
  /** Second samples of a chip for an interval it already has one for: counted once, the rest set aside. */
  public static final OutputTag<ChipReading> DUPLICATES = new OutputTag<>("duplicate-readings") {};

  /** Per window: how many of its duplicates went out already (a window re-fired by allowed lateness). */
  private static final ValueStateDescriptor<Long> DUPLICATES_SENT =
      new ValueStateDescriptor<>("duplicates-sent", Types.LONG);

  private final MetricFactors factors;

  public UltraServerWindowFunction(MetricFactors factors) {
    this.factors = factors;
  }

  @Override
  public void process(Integer ultraserver, Context ctx, Iterable<UltraServerAccumulator> accs,
      Collector<WindowMetrics> out) throws Exception {
    UltraServerAccumulator acc = accs.iterator().next();
    // Site and generation were validated against the same factors when the record was decoded.
    MetricSums sums = acc.readings.toSums(acc.chipsReporting(), factors.ultraServer(acc.site, acc.generation));
    TimeWindow w = ctx.window();
    WindowMetrics m = sums.toWindowMetrics(AggregationLevel.ULTRASERVER, w.getStart(), w.getEnd(), ultraserver,
        acc.site, acc.generation, factors.gpuReferenceUsdPerPflop(), factors.describe(acc.site, acc.generation));
    m.setEmittedAt(Instant.now());
    out.collect(m);
    ctx.output(CHIP_STATS, ChipWindowStats.of(acc, w.getStart(), w.getEnd(), sums));
    if (acc.duplicateCount > 0) sendDuplicates(acc, ctx);
  }

  private static void sendDuplicates(UltraServerAccumulator acc, Context ctx) throws Exception {
    ValueState<Long> sent = ctx.windowState().getState(DUPLICATES_SENT);
    long already = sent.value() == null ? 0 : sent.value();
    for (int i = (int) Math.min(already, acc.duplicates.length); i < acc.duplicates.length; i++) {
      ctx.output(DUPLICATES, acc.duplicates[i]);
    }
    sent.update((long) acc.duplicates.length);
  }

  @Override
  public void clear(Context ctx) {
    ctx.windowState().getState(DUPLICATES_SENT).clear();
  }
}
