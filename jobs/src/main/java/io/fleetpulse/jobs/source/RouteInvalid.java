package io.fleetpulse.jobs.source;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid readings on and sets dead letters aside (side output), counting both: metrics
 * {@code fleetpulse.readings_valid} and {@code fleetpulse.dead_letters_<REASON>} on every subtask.
 */
public final class RouteInvalid extends ProcessFunction<TelemetryRecord, ChipReading> {

  private static final long serialVersionUID = 1L;
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private transient Counter valid;
  private transient Map<DeadLetter.Reason, Counter> rejected;

  @Override
  public void open(OpenContext ctx) {
    var group = getRuntimeContext().getMetricGroup().addGroup("fleetpulse");
    valid = group.counter("readings_valid");
    rejected = new EnumMap<>(DeadLetter.Reason.class);
    for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
      rejected.put(r, group.counter("dead_letters_" + r.name()));
    }
  }

  @Override
  public void processElement(TelemetryRecord record, Context ctx, Collector<ChipReading> out) {
    if (record.isValid()) {
      valid.inc();
      out.collect(record.reading);
    } else {
      rejected.get(record.deadLetter.reason).inc();
      ctx.output(DEAD_LETTERS, record.deadLetter);
    }
  }
}
