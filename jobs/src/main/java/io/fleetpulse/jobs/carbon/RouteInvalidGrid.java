package io.fleetpulse.jobs.carbon;

import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.jobs.source.DeadLetterCounters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Valid grid hours on, the rest to {@link #DEAD_LETTERS} with their reason, each counted
 * ({@code fleetpulse.grid_intensity_valid}, {@code fleetpulse.grid_intensity_dead_letters_<REASON>}).
 */
public final class RouteInvalidGrid extends ProcessFunction<GridInput, HourlyGrid> {

  private static final long serialVersionUID = 1L;
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("grid-dead-letters") {};

  private transient Counter valid;
  private transient DeadLetterCounters invalid;

  @Override
  public void open(OpenContext ctx) {
    var group = getRuntimeContext().getMetricGroup().addGroup("fleetpulse");
    valid = group.counter("grid_intensity_valid");
    invalid = new DeadLetterCounters(group, "grid_intensity_dead_letters_");
  }

  @Override
  public void processElement(GridInput in, Context ctx, Collector<HourlyGrid> out) {
    if (in.grid != null) {
      valid.inc();
      out.collect(in.grid);
    } else {
      invalid.count(in.deadLetter.reason);
      ctx.output(DEAD_LETTERS, in.deadLetter);
    }
  }
}
