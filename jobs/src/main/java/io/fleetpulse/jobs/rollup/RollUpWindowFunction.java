package io.fleetpulse.jobs.rollup;

import io.fleetpulse.schema.WindowMetrics;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** A group's summed window as {@link WindowMetrics}: the same formulas as the UltraServer level, on bigger sums. */
public final class RollUpWindowFunction
    extends ProcessWindowFunction<RollUpAccumulator, WindowMetrics, String, TimeWindow> {

  private static final long serialVersionUID = 1L;
  private final double gpuReferenceUsdPerPflop;

  public RollUpWindowFunction(double gpuReferenceUsdPerPflop) {
    this.gpuReferenceUsdPerPflop = gpuReferenceUsdPerPflop;
  }

  @Override
  public void process(String key, Context ctx, Iterable<RollUpAccumulator> accs, Collector<WindowMetrics> out) {
    RollUpAccumulator acc = accs.iterator().next();
    WindowMetrics m = acc.finished().toWindowMetrics(acc.level, ctx.window().getStart(), ctx.window().getEnd(), null, acc.site,
        acc.generation, gpuReferenceUsdPerPflop);
    m.setEmittedAt(java.time.Instant.now());
    out.collect(m);
  }
}
