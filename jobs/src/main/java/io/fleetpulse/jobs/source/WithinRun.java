package io.fleetpulse.jobs.source;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;

/**
 * Keeps the readings inside a bounded run's event time [start, end) (--start, --duration) and counts the rest
 * ({@code fleetpulse.readings_outside_run}). They are not dead letters: they are fine data for another run, and stay
 * in Kafka for it.
 */
public final class WithinRun extends RichFilterFunction<ChipReading> {

  private static final long serialVersionUID = 1L;
  private final long start;
  private final long end;
  private transient Counter outside;

  public WithinRun(long start, long end) {
    this.start = start;
    this.end = end;
  }

  @Override
  public void open(OpenContext ctx) {
    outside = getRuntimeContext().getMetricGroup().addGroup("fleetpulse").counter("readings_outside_run");
  }

  @Override
  public boolean filter(ChipReading r) {
    boolean inside = r.eventTime >= start && r.eventTime < end;
    if (!inside) outside.inc();
    return inside;
  }
}
