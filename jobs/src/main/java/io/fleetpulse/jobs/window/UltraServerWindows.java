package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.factors.Attribution;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.monitor.DelayHistogram;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Each UltraServer's tumbling event-time windows, and what counts in them, in one step per sample. A sample whose
 * window has closed (its end plus the allowed lateness behind the watermark) is LATE; a chip's second sample for an
 * interval slot it already has one for is a DUPLICATE (a replayed minute); both go aside for the dead-letter topic.
 * Every other sample is counted, once, into its window's {@link UltraServerAccumulator}, and passed to {@link #COUNTED}
 * for the raw archive when asked: the windows and the archive hold the same samples. A window is emitted once, when
 * it can take no more: when the watermark passes its end plus the allowed lateness (an event-time timer). Never
 * early and then again: every row of every table and topic is a window's final figure, a roll-up adds each window
 * once, and a bill never meets two versions of one minute. Allowed lateness costs its own length in delay; without
 * it (the default) a window goes out as soon as the watermark passes its end.
 *
 * <p>Its records leave stamped with the timer's time (end - 1 + lateness); {@link EventTimeProgress} restamps them
 * with their window's last instant, so downstream event-time windows place them by the window they describe.
 *
 * <p>Why not Flink's window operator with a duplicate check in front: that is two keyed states read and written per
 * sample, and a timer registered per sample; here it is one state and one timer per window. The semantics are the
 * window operator's with a trigger that fires once at the end plus the allowed lateness (late side output
 * included); the harness tests hold it to them.
 *
 * <p>Metrics, per subtask: {@code fleetpulse.dead_letters_LATE} and {@code fleetpulse.dead_letters_DUPLICATE}, the
 * samples set aside; {@code fleetpulse.windows_emitted}, windows emitted; and
 * {@code fleetpulse.window_emission_delay_seconds}, a histogram of emitted_at - window_end over the last windows;
 * {@code fleetpulse.unknown_attribution_samples}, counted samples labelled with a workload or tenant the fleet config
 * does not have (the window goes to workload or tenant {@code unknown} when most of its samples are).
 *
 * <p>Each window is attributed to one workload and tenant, the label most of its samples carry
 * ({@link UltraServerAccumulator#majorityLabel}), so that workload and tenant roll-ups partition the fleet exactly.
 */
public final class UltraServerWindows extends KeyedProcessFunction<Integer, ChipReading, WindowMetrics> {

  private static final long serialVersionUID = 1L;
  public static final OutputTag<ChipWindowStats> CHIP_STATS = new OutputTag<>("chip-window-stats") {};
  public static final OutputTag<ChipReading> LATE = new OutputTag<>("late-readings") {};
  public static final OutputTag<ChipReading> DUPLICATES = new OutputTag<>("duplicate-readings") {};
  public static final OutputTag<ChipReading> COUNTED = new OutputTag<>("counted-readings") {};

  private final long windowMs;
  private final long minIntervalMs;
  private final long latenessMs;
  private final boolean passCounted;
  private final MetricFactors factors;
  private transient ValueState<OpenWindows> open;
  private transient Counter duplicates;
  private transient Counter late;
  private transient Counter emitted;
  private transient Counter unknownAttribution;
  private transient DelayHistogram delay;

  /**
   * @param minIntervalMs the shortest time between two samples of one chip: it sizes the slots
   * @param latenessMs the windows' allowed lateness
   * @param passCounted whether counted samples go to {@link #COUNTED} (the raw archive)
   */
  public UltraServerWindows(long windowMs, long minIntervalMs, long latenessMs, boolean passCounted,
      MetricFactors factors) {
    this.windowMs = windowMs;
    this.minIntervalMs = minIntervalMs;
    this.latenessMs = latenessMs;
    this.passCounted = passCounted;
    this.factors = factors;
  }

  @Override
  public void open(OpenContext ctx) {
    open = getRuntimeContext().getState(
        new ValueStateDescriptor<>("open-windows", TypeInformation.of(OpenWindows.class)));
    var group = getRuntimeContext().getMetricGroup().addGroup("fleetpulse");
    duplicates = group.counter("dead_letters_DUPLICATE");
    late = group.counter("dead_letters_LATE");
    emitted = group.counter("windows_emitted");
    unknownAttribution = group.counter("unknown_attribution_samples");
    delay = group.histogram("window_emission_delay_seconds", new DelayHistogram());
  }

  @Override
  public void processElement(ChipReading r, Context ctx, Collector<WindowMetrics> out) throws Exception {
    long start = r.eventTime - Math.floorMod(r.eventTime, windowMs);
    long end = start + windowMs;
    long watermark = ctx.timerService().currentWatermark();
    if (end - 1 + latenessMs <= watermark) {
      late.inc();
      ctx.output(LATE, r);
      return;
    }
    OpenWindows windows = open.value();
    if (windows == null) windows = new OpenWindows();
    int i = windows.indexOf(start);
    if (i < 0) {
      i = windows.add(start, UltraServerAccumulator.forWindow(start, windowMs, minIntervalMs));
      ctx.timerService().registerEventTimeTimer(end - 1 + latenessMs);
    }
    if (!windows.accumulators[i].addOnce(r)) {
      duplicates.inc();
      ctx.output(DUPLICATES, r);
      return;
    }
    if (passCounted) ctx.output(COUNTED, r);
    if (!factors.attribution().knows(r.workloadId, r.tenant)) unknownAttribution.inc();
    open.update(windows);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowMetrics> out) throws Exception {
    OpenWindows windows = open.value();
    if (windows == null) return;
    // The window whose end plus the lateness this is: it can take no more, and goes out once, final. (A timer at a
    // window's end alone, from a checkpoint of a build that emitted early, finds nothing to do.)
    int i = windows.indexOf(timestamp + 1 - latenessMs - windowMs);
    if (i < 0) return;
    emit(windows, i, ctx, out);
    windows.remove(i);
    if (windows.isEmpty()) open.clear(); else open.update(windows);
  }

  private void emit(OpenWindows windows, int i, Context ctx, Collector<WindowMetrics> out) {
    windows.fired[i] = true;
    UltraServerAccumulator acc = windows.accumulators[i];
    long start = windows.starts[i];
    long end = start + windowMs;
    // Site and generation were validated against the same factors when the record was decoded.
    MetricSums sums = acc.readings.toSums(acc.chipsReporting(), factors.ultraServer(acc.site, acc.generation));
    WindowMetrics m = sums.toWindowMetrics(AggregationLevel.ULTRASERVER, start, end, acc.ultraserverId, acc.site,
        acc.generation, factors.gpuReferenceUsdPerPflop(), factors.describe(acc.site, acc.generation));
    int label = acc.majorityLabel();
    if (label >= 0) {
      Attribution attribution = factors.attribution();
      int workload = acc.labelWorkload[label];
      m.setWorkload(attribution.workload(workload));
      m.setTenant(attribution.tenant(workload, acc.labelTenant[label]));
    }
    long now = System.currentTimeMillis();
    m.setEmittedAt(Instant.ofEpochMilli(now));
    emitted.inc();
    delay.update(now - end);
    out.collect(m);
    ctx.output(CHIP_STATS, ChipWindowStats.of(acc, start, end, sums));
  }
}
