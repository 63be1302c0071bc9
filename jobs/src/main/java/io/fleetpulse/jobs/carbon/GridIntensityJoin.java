package io.fleetpulse.jobs.carbon;

import io.fleetpulse.metrics.FactorsUsed;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * The event-time join of UltraServer windows (input 1) with the grid intensity of their hour (input 2), both keyed
 * by site: each window's carbon is priced with the figures of the UTC hour its window starts in
 * ({@link MetricSums#priceHour}). A window whose hour has no figures yet waits, in keyed state, until they arrive or
 * until the windows' watermark passes its end plus {@code waitMs} or it has waited {@code waitMs} of wall-clock time
 * (the watermark may never get there: the last window of a run, before a drain), whichever comes first; it then keeps the annual factors it was built with
 * (the declared fallback: the site's eGRID factor, its region's residual mix and carbon-free share) and says so in
 * {@code factors_used}. Either way it leaves with its own timestamp (window end - 1).
 *
 * <p>Time: only the windows' watermark drives this operator. The grid input carries no watermark (a feed a user
 * stops sending must not stall the job). The watermark goes on unchanged while no window waits, and held just short
 * of the earliest waiting window's timestamp while one does (at most {@code waitMs} behind), so a window that waited
 * is still on time for the roll-ups. A window reaches this operator before the watermark that fired it (which is at
 * least its timestamp), so holding one short of its timestamp never moves the watermark back. The waiting timestamps are operator state: after a restore (or a
 * rescale, each subtask taking every subtask's) they are held until their wait is over. Figures for an hour whose windows have all been decided
 * (the watermark past the hour's end plus the wait) are late: counted ({@code fleetpulse.grid_intensity_late}) and
 * kept only for windows still to come (with allowed lateness, a window comes that much after its end). Figures are dropped an hour after that.
 */
public final class GridIntensityJoin extends AbstractStreamOperator<WindowMetrics>
    implements TwoInputStreamOperator<WindowMetrics, HourlyGrid, WindowMetrics>, Triggerable<String, VoidNamespace> {

  private static final long serialVersionUID = 1L;
  static final long RETAIN_MS = HourlyGrid.HOUR_MS;

  private final long waitMs;
  private final double gpuReferenceUsdPerPflop;
  private transient MapState<Long, HourlyGrid> hours;
  private transient MapState<Long, List<WindowMetrics>> waiting;
  /** Per waiting window end: the wall-clock time its wait is over, whatever the watermark does. */
  private transient MapState<Long, Long> deadlines;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient Counter hourly;
  private transient Counter fallback;
  private transient Counter waited;
  private transient Counter late;
  /** Timestamps (window end - 1) of the windows waiting on this subtask, with their counts. */
  private transient TreeMap<Long, Integer> held;
  private transient ListState<Long> heldState;
  private transient long lastWatermark;
  /** The windows' latest watermark, as it came in (what goes out once nothing waits). */
  private transient long inputWatermark;

  /**
   * @param waitMs how long after its end (in event time) a window waits for its hour's figures
   * @param gpuReferenceUsdPerPflop the GPU baseline, to rebuild a priced window's ratios
   */
  public GridIntensityJoin(long waitMs, double gpuReferenceUsdPerPflop) {
    this.waitMs = waitMs;
    this.gpuReferenceUsdPerPflop = gpuReferenceUsdPerPflop;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    held = new TreeMap<>();
    lastWatermark = Long.MIN_VALUE;
    inputWatermark = Long.MIN_VALUE;
    heldState = context.getOperatorStateStore().getUnionListState(
        new ListStateDescriptor<>("grid-join-held", Types.LONG));
    for (Long ts : heldState.get()) held.merge(ts, 1, Integer::sum);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    List<Long> all = new ArrayList<>();
    held.forEach((ts, n) -> {
      for (int i = 0; i < n; i++) all.add(ts);
    });
    heldState.update(all);
  }

  @Override
  public void open() throws Exception {
    super.open();
    hours = getKeyedStateStore().getMapState(
        new MapStateDescriptor<>("grid-hours", Types.LONG, TypeInformation.of(HourlyGrid.class)));
    waiting = getKeyedStateStore().getMapState(new MapStateDescriptor<>("windows-waiting", Types.LONG,
        new ListTypeInfo<>(TypeInformation.of(WindowMetrics.class))));
    deadlines = getKeyedStateStore().getMapState(new MapStateDescriptor<>("windows-deadline", Types.LONG, Types.LONG));
    timers = getInternalTimerService("grid-join", VoidNamespaceSerializer.INSTANCE, this);
    var group = getRuntimeContext().getMetricGroup().addGroup("fleetpulse");
    hourly = group.counter("grid_windows_hourly");
    fallback = group.counter("grid_windows_fallback");
    waited = group.counter("grid_windows_waited");
    late = group.counter("grid_intensity_late");
  }

  /** A window: priced now if its hour's figures are here, else it waits. */
  @Override
  public void processElement1(StreamRecord<WindowMetrics> element) throws Exception {
    WindowMetrics m = element.getValue();
    HourlyGrid g = hours.get(hourOf(m));
    if (g != null) {
      emit(priced(m, g));
      return;
    }
    long end = m.getWindowEnd().toEpochMilli();
    List<WindowMetrics> list = waiting.get(end);
    if (list == null) list = new ArrayList<>();
    list.add(m);
    waiting.put(end, list);
    held.merge(end - 1, 1, Integer::sum);
    waited.inc();
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, end - 1 + waitMs);
    if (!deadlines.contains(end)) {
      // The watermark may never pass end + wait (the last window of a run, before the job drains): the wall clock
      // bounds the wait too.
      long deadline = timers.currentProcessingTime() + waitMs;
      deadlines.put(end, deadline);
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, deadline);
    }
  }

  /** An hour's figures: kept, and the windows of that hour waiting for them go out priced. */
  @Override
  public void processElement2(StreamRecord<HourlyGrid> element) throws Exception {
    HourlyGrid g = element.getValue();
    long hourEnd = g.hourStart + HourlyGrid.HOUR_MS;
    if (hourEnd - 1 + waitMs <= timers.currentWatermark()) late.inc();
    hours.put(g.hourStart, g);
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, hourEnd - 1 + waitMs + RETAIN_MS);
    List<Long> ends = new ArrayList<>();
    for (Long end : waiting.keys()) ends.add(end);
    for (long end : ends) {
      List<WindowMetrics> stay = new ArrayList<>();
      for (WindowMetrics m : waiting.get(end)) {
        if (hourOf(m) == g.hourStart) {
          emit(priced(m, g));
          release(end - 1);
        } else {
          stay.add(m);
        }
      }
      if (stay.isEmpty()) {
        waiting.remove(end);
        deadlines.remove(end);
      } else {
        waiting.put(end, stay);
      }
    }
    forwardWatermark();
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    long t = timer.getTimestamp();
    List<Long> due = new ArrayList<>();
    for (Long end : waiting.keys()) {
      if (end - 1 + waitMs <= t) due.add(end);
    }
    fallBack(due);
    List<Long> old = new ArrayList<>();
    for (Map.Entry<Long, HourlyGrid> e : hours.entries()) {
      if (e.getKey() + HourlyGrid.HOUR_MS - 1 + waitMs + RETAIN_MS <= t) old.add(e.getKey());
    }
    for (long hour : old) hours.remove(hour);
  }

  /** Windows that waited {@code waitMs} of wall-clock time for their hour's figures keep the annual factors. */
  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    List<Long> due = new ArrayList<>();
    for (Map.Entry<Long, Long> e : deadlines.entries()) {
      if (e.getValue() <= timer.getTimestamp()) due.add(e.getKey());
    }
    fallBack(due);
    // No watermark may come after the last window of a run: the one held for it goes on now.
    forwardWatermark();
  }

  private void fallBack(List<Long> ends) throws Exception {
    for (long end : ends) {
      List<WindowMetrics> list = waiting.get(end);
      if (list != null) {
        for (WindowMetrics m : list) {
          emit(fellBack(m));
          release(end - 1);
        }
      }
      waiting.remove(end);
      deadlines.remove(end);
    }
  }

  /** The windows' watermark fires the timers, and goes on held just short of the earliest window still waiting. */
  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    if (timeServiceManager != null) timeServiceManager.advanceWatermark(mark);
    inputWatermark = mark.getTimestamp();
    // Restored timestamps of windows on other subtasks (or already released): their wait is over by now.
    while (!held.isEmpty() && (inputWatermark == Long.MAX_VALUE || held.firstKey() <= inputWatermark - waitMs)) {
      held.pollFirstEntry();
    }
    forwardWatermark();
  }

  /**
   * Sends on the windows' watermark, held while a window waits. A watermark of w says nothing stamped w or earlier
   * follows, and fires every window whose last instant is w: held one short of the waiting window's timestamp, or
   * the roll-ups would close without it and drop it as late.
   */
  private void forwardWatermark() {
    long out = held.isEmpty() ? inputWatermark : Math.min(inputWatermark, held.firstKey() - 1);
    if (out > lastWatermark) {
      lastWatermark = out;
      output.emitWatermark(new Watermark(out));
    }
  }

  private void release(long timestamp) {
    held.computeIfPresent(timestamp, (ts, n) -> n == 1 ? null : n - 1);
  }

  /** The grid input's watermark is not used: the figures are looked up by their hour, not by their arrival. */
  @Override
  public void processWatermark2(Watermark mark) {}

  @Override
  protected void processWatermarkStatus(WatermarkStatus status, int index) {
    if (index == 0) output.emitWatermarkStatus(status);
  }

  private void emit(WindowMetrics m) {
    output.collect(new StreamRecord<>(m, m.getWindowEnd().toEpochMilli() - 1));
  }

  static long hourOf(WindowMetrics m) {
    long start = m.getWindowStart().toEpochMilli();
    return Math.floorDiv(start, HourlyGrid.HOUR_MS) * HourlyGrid.HOUR_MS;
  }

  /** The window with its carbon priced at the hour's figures. */
  WindowMetrics priced(WindowMetrics m, HourlyGrid g) {
    hourly.inc();
    MetricSums s = MetricSums.of(m);
    s.exactQuantiles = new double[] {m.getUtilizationP50(), m.getUtilizationP95(), m.getUtilizationP99()};
    s.priceHour(g.locationGPerKwh, g.residualGPerKwh, g.gridCfeShare, g.contracted());
    WindowMetrics out = s.toWindowMetrics(m.getLevel(), m.getWindowStart().toEpochMilli(),
        m.getWindowEnd().toEpochMilli(), m.getUltraserverId(), m.getSite(), m.getGeneration(),
        gpuReferenceUsdPerPflop, FactorsUsed.join(m.getFactorsUsed(), hourlyText(m.getSite(), g.source)));
    out.setEmittedAt(m.getEmittedAt());
    out.setWorkload(m.getWorkload());
    out.setTenant(m.getTenant());
    return out;
  }

  /** The window as it was built, on the annual factors, saying so. */
  WindowMetrics fellBack(WindowMetrics m) {
    fallback.inc();
    return WindowMetrics.newBuilder(m)
        .setFactorsUsed(FactorsUsed.join(m.getFactorsUsed(), fallbackText(m.getSite(), waitMs)))
        .build();
  }

  public static String hourlyText(String site, String source) {
    return site + " hourly grid intensity (" + (source == null || source.isEmpty() ? "unnamed feed" : source) + ")";
  }

  public static String fallbackText(String site, long waitMs) {
    return site + " annual grid factors as fallback (no hourly intensity by window end + " + waitMs / 1000 + " s)";
  }
}
