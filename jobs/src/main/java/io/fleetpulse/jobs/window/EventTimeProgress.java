package io.fleetpulse.jobs.window;

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
    first = new Extreme(true);
    until = new Extreme(false);
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
   * nothing (no keys) stays at {@link #UNSET} and is ignored by the merge, so it cannot hold progress back. (UNSET is
   * a value, not null: Flink's accumulator snapshots reject null.)
   */
  public static final class Extreme implements Accumulator<Long, Long>, Serializable {
    public static final long UNSET = Long.MAX_VALUE;
    private static final long serialVersionUID = 1L;
    private final boolean keepMin;
    private long value = UNSET;

    public Extreme(boolean keepMin) {
      this.keepMin = keepMin;
    }

    @Override
    public void add(Long v) {
      value = value == UNSET ? v : (keepMin ? Math.min(value, v) : Math.max(value, v));
    }

    @Override
    public Long getLocalValue() {
      return value;
    }

    @Override
    public void resetLocal() {
      value = UNSET;
    }

    @Override
    public void merge(Accumulator<Long, Long> other) {
      long o = other.getLocalValue();
      if (o != UNSET) value = value == UNSET ? o : Math.min(value, o);
    }

    @Override
    public Extreme clone() {
      Extreme c = new Extreme(keepMin);
      c.value = value;
      return c;
    }
  }
}
