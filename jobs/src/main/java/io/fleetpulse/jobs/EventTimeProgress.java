package io.fleetpulse.jobs;

import io.fleetpulse.schema.WindowMetrics;
import java.io.Serializable;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Publishes how far event time has got, as two job accumulators a client can poll while the job runs:
 * {@value #FIRST_WINDOW_START} (earliest window emitted) and {@value #COMPLETE_UNTIL} (every subtask has emitted
 * all its windows up to this end). {@code --duration} stops the job once COMPLETE_UNTIL reaches its end.
 */
public final class EventTimeProgress extends RichMapFunction<WindowMetrics, WindowMetrics> {

  private static final long serialVersionUID = 1L;
  public static final String FIRST_WINDOW_START = "fleetpulse-first-window-start";
  public static final String COMPLETE_UNTIL = "fleetpulse-complete-until";

  private transient Extreme first;
  private transient Extreme until;

  @Override
  public void open(OpenContext ctx) {
    first = new Extreme(true, true);
    until = new Extreme(false, true);
    getRuntimeContext().addAccumulator(FIRST_WINDOW_START, first);
    getRuntimeContext().addAccumulator(COMPLETE_UNTIL, until);
  }

  @Override
  public WindowMetrics map(WindowMetrics m) {
    first.add(m.getWindowStart().toEpochMilli());
    until.add(m.getWindowEnd().toEpochMilli());
    return m;
  }

  /**
   * Within a subtask keeps the min (or max) of what it saw; across subtasks merges by min. A subtask that saw
   * nothing (no keys) stays unset and is ignored by the merge, so it cannot hold progress back.
   */
  public static final class Extreme implements Accumulator<Long, Long>, Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean keepMin;
    private final boolean mergeMin;
    private boolean set;
    private long value;

    public Extreme(boolean keepMin, boolean mergeMin) {
      this.keepMin = keepMin;
      this.mergeMin = mergeMin;
    }

    @Override
    public void add(Long v) {
      value = !set ? v : (keepMin ? Math.min(value, v) : Math.max(value, v));
      set = true;
    }

    @Override
    public Long getLocalValue() {
      return set ? value : null;
    }

    @Override
    public void resetLocal() {
      set = false;
    }

    @Override
    public void merge(Accumulator<Long, Long> other) {
      Long o = other.getLocalValue();
      if (o == null) return;
      value = !set ? o : (mergeMin ? Math.min(value, o) : Math.max(value, o));
      set = true;
    }

    @Override
    public Extreme clone() {
      Extreme c = new Extreme(keepMin, mergeMin);
      c.set = set;
      c.value = value;
      return c;
    }
  }
}
