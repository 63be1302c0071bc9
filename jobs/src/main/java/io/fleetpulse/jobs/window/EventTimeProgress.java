package io.fleetpulse.jobs.window;

import io.fleetpulse.schema.WindowMetrics;
import java.io.Serializable;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Publishes how far event time has got, as two job accumulators a client can poll while the job runs:
 * {@value #FIRST_WINDOW_START} (earliest window emitted) and {@value #COMPLETE_UNTIL} (every window ending by then is
 * decided on every subtask: the watermark has passed its end, so all its on-time samples are counted; without allowed
 * lateness it has been emitted, with it it waits out its lateness, and a draining stop emits it). {@code --duration}
 * stops the job once COMPLETE_UNTIL reaches its end.
 *
 * <p>It also stamps each UltraServer window with its window's last instant (end - 1), whatever time it was emitted
 * at: the roll-up, hour and day windows downstream place records by their timestamp.
 */
public final class EventTimeProgress extends AbstractStreamOperator<WindowMetrics>
    implements OneInputStreamOperator<WindowMetrics, WindowMetrics> {

  private static final long serialVersionUID = 1L;
  public static final String FIRST_WINDOW_START = "fleetpulse-first-window-start";
  public static final String COMPLETE_UNTIL = "fleetpulse-complete-until";

  private final long windowMs;
  private transient Extreme first;
  private transient Extreme until;

  public EventTimeProgress(long windowMs) {
    this.windowMs = windowMs;
  }

  @Override
  public void open() throws Exception {
    super.open();
    first = new Extreme(true);
    until = new Extreme(false);
    // Long.MIN_VALUE until this subtask's first watermark: merged by min, it holds the job's progress back.
    until.add(Long.MIN_VALUE);
    getRuntimeContext().addAccumulator(FIRST_WINDOW_START, first);
    getRuntimeContext().addAccumulator(COMPLETE_UNTIL, until);
  }

  @Override
  public void processElement(StreamRecord<WindowMetrics> element) {
    WindowMetrics m = element.getValue();
    first.add(m.getWindowStart().toEpochMilli());
    output.collect(element.replace(m, m.getWindowEnd().toEpochMilli() - 1));
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    long t = mark.getTimestamp();
    // The end of the last window whose last instant the watermark has passed.
    if (t > Long.MIN_VALUE && t < Long.MAX_VALUE) until.add(Math.floorDiv(t + 1, windowMs) * windowMs);
    else if (t == Long.MAX_VALUE) until.add(Long.MAX_VALUE - 1); // the end of input: every window emitted
    super.processWatermark(mark);
  }

  /**
   * Within a subtask keeps the min (or max) of what it saw; across subtasks merges by min. A subtask that saw no
   * window stays at {@link #UNSET} and is ignored by the merge, so it cannot hold the first window back. (UNSET is a
   * value, not null: Flink's accumulator snapshots reject null.)
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
