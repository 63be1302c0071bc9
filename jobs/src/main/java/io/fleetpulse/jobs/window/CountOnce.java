package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.source.ChipReading;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decides which readings of an UltraServer count, before anything counts them: a reading whose window has closed
 * (its end plus the allowed lateness behind the watermark, the window operator's own rule) is LATE, and a chip's second
 * reading for an interval slot it already has one for is a DUPLICATE (a replayed minute, a resent sample). Both are
 * set aside for the dead-letter topic; what passes is counted exactly once by the windows and the raw archive alike.
 *
 * <p>State: per UltraServer and open window, which slots each chip has filled ({@link SeenSlots}), dropped by an
 * event-time timer when the window can no longer take readings, so it stays bounded by the open windows.
 */
public final class CountOnce extends KeyedProcessFunction<Integer, ChipReading, ChipReading> {

  private static final long serialVersionUID = 1L;
  public static final OutputTag<ChipReading> DUPLICATES = new OutputTag<>("duplicate-readings") {};
  /** Readings that arrived after their window closed (watermark plus allowed lateness). */
  public static final OutputTag<ChipReading> LATE = new OutputTag<>("late-readings") {};

  private final long windowMs;
  private final long minIntervalMs;
  private final long latenessMs;
  private transient MapState<Long, SeenSlots> seen;
  private transient Counter duplicates;
  private transient Counter late;

  /**
   * @param minIntervalMs the shortest time between two samples of one chip: it sizes the slots
   * @param latenessMs the window's allowed lateness
   */
  public CountOnce(long windowMs, long minIntervalMs, long latenessMs) {
    this.windowMs = windowMs;
    this.minIntervalMs = minIntervalMs;
    this.latenessMs = latenessMs;
  }

  @Override
  public void open(OpenContext ctx) {
    seen = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("seen-slots", Types.LONG, TypeInformation.of(SeenSlots.class)));
    var group = getRuntimeContext().getMetricGroup().addGroup("fleetpulse");
    duplicates = group.counter("dead_letters_DUPLICATE");
    late = group.counter("dead_letters_LATE");
  }

  @Override
  public void processElement(ChipReading r, Context ctx, Collector<ChipReading> out) throws Exception {
    long windowStart = r.eventTime - Math.floorMod(r.eventTime, windowMs);
    long lastMoment = windowStart + windowMs - 1 + latenessMs;
    if (lastMoment <= ctx.timerService().currentWatermark()) {
      late.inc();
      ctx.output(LATE, r);
      return;
    }
    SeenSlots slots = seen.get(windowStart);
    if (slots == null) {
      slots = SeenSlots.forSlots(windowMs / minIntervalMs);
      ctx.timerService().registerEventTimeTimer(lastMoment);
    }
    long slot = (r.eventTime - windowStart) / Math.max(r.intervalMs, 1);
    if (slots.mark(r.chipId, slot)) {
      seen.put(windowStart, slots);
      out.collect(r);
    } else {
      duplicates.inc();
      ctx.output(DUPLICATES, r);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChipReading> out) throws Exception {
    seen.remove(timestamp + 1 - latenessMs - windowMs);
  }
}
