package io.fleetpulse.jobs;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns an UltraServer's window accumulator into its {@link WindowMetrics}, applying the site's and chip's factors. */
public final class UltraServerWindowFunction
    extends ProcessWindowFunction<UltraServerAccumulator, WindowMetrics, Integer, TimeWindow> {

  private static final long serialVersionUID = 1L;
  private final MetricFactors factors;

  public UltraServerWindowFunction(MetricFactors factors) {
    this.factors = factors;
  }

  @Override
  public void process(Integer ultraserver, Context ctx, Iterable<UltraServerAccumulator> accs,
      Collector<WindowMetrics> out) {
    UltraServerAccumulator acc = accs.iterator().next();
    // Site and generation were validated against the same factors when the record was decoded.
    MetricSums sums = MetricSums.ofUltraServer(acc, factors.site(acc.site), factors.generation(acc.generation));
    TimeWindow w = ctx.window();
    out.collect(sums.toWindowMetrics(AggregationLevel.ULTRASERVER, w.getStart(), w.getEnd(), ultraserver,
        acc.site, acc.generation, factors.gpuReferenceUsdPerPflop()));
  }
}
