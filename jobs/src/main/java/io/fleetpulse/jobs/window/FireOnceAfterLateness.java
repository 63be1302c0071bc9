package io.fleetpulse.jobs.window;

import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires an event-time window once, when the watermark passes its last instant plus the allowed lateness: the roll-up,
 * hour and day windows over UltraServer windows, which themselves go out only then ({@link UltraServerWindows}).
 * Flink's EventTimeTrigger would fire at the window's end, before those records come, and again for each of them.
 * Set the window operator's allowed lateness to the same length, so the records are on time and the state lives
 * until this fires.
 */
public final class FireOnceAfterLateness extends Trigger<Object, TimeWindow> {

  private static final long serialVersionUID = 1L;
  private final long latenessMs;

  public FireOnceAfterLateness(long latenessMs) {
    this.latenessMs = latenessMs;
  }

  private long fireAt(TimeWindow window) {
    return window.maxTimestamp() + latenessMs;
  }

  @Override
  public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
    ctx.registerEventTimeTimer(fireAt(window));
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
    return time == fireAt(window) ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public void clear(TimeWindow window, TriggerContext ctx) {
    ctx.deleteEventTimeTimer(fireAt(window));
  }

  @Override
  public String toString() {
    return "FireOnceAfterLateness(" + latenessMs + " ms)";
  }
}
