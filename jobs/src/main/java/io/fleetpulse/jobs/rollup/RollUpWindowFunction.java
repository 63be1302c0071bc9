package io.fleetpulse.jobs.rollup;

import io.fleetpulse.jobs.monitor.DelayHistogram;
import io.fleetpulse.schema.WindowMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * A group's summed window as {@link WindowMetrics}: the same formulas as the UltraServer level, on bigger sums.
 * Metric {@code fleetpulse.window_emission_delay_seconds}: emitted_at - window_end of the site, generation and fleet
 * windows, a histogram over the last ones (the UltraServer windows have theirs).
 */
public final class RollUpWindowFunction
    extends ProcessWindowFunction<RollUpAccumulator, WindowMetrics, String, TimeWindow> {

  private static final long serialVersionUID = 1L;
  private final double gpuReferenceUsdPerPflop;
  private final boolean measuresDelay;
  private transient DelayHistogram delay;

  public RollUpWindowFunction(double gpuReferenceUsdPerPflop) {
    this(gpuReferenceUsdPerPflop, true);
  }

  /** @param measuresDelay false for the hour and day windows: their delay is not the live windows' */
  public RollUpWindowFunction(double gpuReferenceUsdPerPflop, boolean measuresDelay) {
    this.gpuReferenceUsdPerPflop = gpuReferenceUsdPerPflop;
    this.measuresDelay = measuresDelay;
  }

  @Override
  public void open(OpenContext ctx) {
    if (!measuresDelay) return;
    delay = getRuntimeContext().getMetricGroup().addGroup("fleetpulse")
        .histogram("window_emission_delay_seconds", new DelayHistogram());
  }

  @Override
  public void process(String key, Context ctx, Iterable<RollUpAccumulator> accs, Collector<WindowMetrics> out) {
    RollUpAccumulator acc = accs.iterator().next();
    WindowMetrics m = acc.finished().toWindowMetrics(acc.level, ctx.window().getStart(), ctx.window().getEnd(), acc.ultraserverId, acc.site,
        acc.generation, gpuReferenceUsdPerPflop);
    m.setWorkload(acc.workload);
    m.setTenant(acc.tenant);
    long now = System.currentTimeMillis();
    m.setEmittedAt(java.time.Instant.ofEpochMilli(now));
    if (delay != null) delay.update(now - ctx.window().getEnd());
    out.collect(m);
  }
}
