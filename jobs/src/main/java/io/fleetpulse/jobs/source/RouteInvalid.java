package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.DeadLetterReason;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid readings on, sets dead letters aside (side output) and drops progress markers, whose work (the
 * watermark) is done by now, counting all three: metrics {@code fleetpulse.readings_valid},
 * {@code fleetpulse.progress_markers} and {@code fleetpulse.dead_letters_<REASON>} on every subtask.
 */
public final class RouteInvalid extends ProcessFunction<TelemetryRecord, ChipReading> {

  private static final long serialVersionUID = 1L;
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private transient Counter valid;
  private transient Counter markers;
  private transient DeadLetterCounters rejected;

  @Override
  public void open(OpenContext ctx) {
    var group = getRuntimeContext().getMetricGroup().addGroup("fleetpulse");
    valid = group.counter("readings_valid");
    markers = group.counter("progress_markers");
    // LATE and DUPLICATE are decided (and counted) by the window, not here.
    rejected = new DeadLetterCounters(group, "dead_letters_", DeadLetterReason.LATE, DeadLetterReason.DUPLICATE);
  }

  @Override
  public void processElement(TelemetryRecord record, Context ctx, Collector<ChipReading> out) {
    if (record.isValid()) {
      valid.inc();
      out.collect(record.reading);
    } else if (record.progress) {
      markers.inc();
    } else {
      rejected.count(record.deadLetter.reason);
      ctx.output(DEAD_LETTERS, record.deadLetter);
    }
  }
}
