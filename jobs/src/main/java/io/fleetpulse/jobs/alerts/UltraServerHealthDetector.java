package io.fleetpulse.jobs.alerts;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.window.ChipWindowStats;
import io.fleetpulse.jobs.window.UltraServerAccumulator;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The alerts of one UltraServer and its chips, from its per-chip window stats (docs/metrics.md, "Alerts"):
 * <ul>
 *   <li>CHIP_SILENT: a chip seen before misses {@code silentWindows} windows while its UltraServer reports; or the
 *       whole UltraServer sends nothing that long, which only an event-time timer can notice;
 *   <li>ECC_BURST: a chip's corrected-error counter rises by {@code eccBurstCorrected} or more in a window, or its
 *       uncorrected counter rises at all (CRITICAL); increases are summed across counter resets;
 *   <li>POWER_CAP: power flat-topped below rated max for {@code sustainWindows} windows (low-demand windows, a
 *       checkpoint, are not judged);
 *   <li>HBM_PRESSURE: HBM utilization at or above {@code hbmPressure} for {@code sustainWindows} windows;
 *   <li>RESERVED_IDLE: utilization under 5% for {@code idleWindows} windows.
 * </ul>
 */
public final class UltraServerHealthDetector extends KeyedProcessFunction<Integer, ChipWindowStats, Alert> {

  private static final long serialVersionUID = 1L;
  /** A chip unseen for a day is taken out of service rather than silent. */
  static final long FORGET_AFTER_MS = 86_400_000L;
  /** Windows counted per UltraServer: enough for {@link AlertRules#windowsBeforeSilence}. */
  static final int ESTABLISHED = 16;

  private final AlertRules rules;
  private final WastePricing pricing;
  private final long latenessMs;

  private transient MapState<Integer, Long> lastSeen;
  private transient MapState<Integer, AlertState> silentChips;
  private transient MapState<Integer, AlertState> ecc;
  private transient MapState<Integer, long[]> eccLast;
  private transient ValueState<AlertState> powerCap;
  private transient ValueState<AlertState> hbm;
  private transient ValueState<AlertState> idle;
  private transient ValueState<AlertState> silentUltraServer;
  private transient ValueState<ChipWindowStats> latest;
  private transient ValueState<Integer> windowsSeen;

  public UltraServerHealthDetector(AlertRules rules, MetricFactors factors) {
    this(rules, factors, 0);
  }

  /** @param latenessMs the windows' allowed lateness: each comes that much after its end, so silence is judged later */
  public UltraServerHealthDetector(AlertRules rules, MetricFactors factors, long latenessMs) {
    this.rules = rules;
    this.pricing = new WastePricing(factors);
    this.latenessMs = latenessMs;
  }

  /** When the UltraServer counts as silent if nothing newer than {@code last} came. */
  private long silentAt(ChipWindowStats last) {
    return last.windowEnd - 1 + rules.silentWindows() * last.windowMs() + latenessMs;
  }

  @Override
  public void open(OpenContext ctx) {
    TypeInformation<AlertState> alert = TypeInformation.of(AlertState.class);
    var rc = getRuntimeContext();
    lastSeen = rc.getMapState(new MapStateDescriptor<>("chip-last-seen", Types.INT, Types.LONG));
    silentChips = rc.getMapState(new MapStateDescriptor<>("silent-chips", Types.INT, alert));
    ecc = rc.getMapState(new MapStateDescriptor<>("ecc-bursts", Types.INT, alert));
    eccLast = rc.getMapState(new MapStateDescriptor<>("ecc-last", Types.INT,
        TypeInformation.of(long[].class)));
    powerCap = rc.getState(new ValueStateDescriptor<>("power-cap", alert));
    hbm = rc.getState(new ValueStateDescriptor<>("hbm-pressure", alert));
    idle = rc.getState(new ValueStateDescriptor<>("reserved-idle", alert));
    silentUltraServer = rc.getState(new ValueStateDescriptor<>("silent-ultraserver", alert));
    latest = rc.getState(new ValueStateDescriptor<>("latest-window", TypeInformation.of(ChipWindowStats.class)));
    windowsSeen = rc.getState(new ValueStateDescriptor<>("windows-seen", Types.INT));
  }

  @Override
  public void processElement(ChipWindowStats s, Context ctx, Collector<Alert> out) throws Exception {
    ChipWindowStats previous = latest.value();
    if (previous != null && s.windowStart < previous.windowEnd) return; // a window at or before the last one: judged already (a replay)
    ultraServerBack(s, out);
    latest.update(s);
    Integer seen = windowsSeen.value();
    windowsSeen.update(seen == null ? 1 : Math.min(seen + 1, ESTABLISHED));
    // Fires if nothing newer arrives for silentWindows windows; the second, after a day of it, forgets the key.
    ctx.timerService().registerEventTimeTimer(silentAt(s));
    ctx.timerService().registerEventTimeTimer(s.windowEnd - 1 + FORGET_AFTER_MS);

    silentChips(s, out);
    eccBursts(s, out);
    powerCap(s, out);
    hbmPressure(s, out);
    reservedIdle(s, out);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    // The end of a bounded input (or a draining stop) moves event time to the end of time: that is no silence.
    if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) return;
    ChipWindowStats last = latest.value();
    if (last == null) return;
    if (timestamp == last.windowEnd - 1 + FORGET_AFTER_MS) {
      forget(last, timestamp + 1, out);
      return;
    }
    if (timestamp != silentAt(last)) return;
    if (silentUltraServer.value() != null) return;
    if (windowsSeen.value() == null || windowsSeen.value() < rules.windowsBeforeSilence()) {
      // A window and then nothing, with no layout to check ids against: a stray key (a bad id), not a fleet member
      // gone quiet. Forget it rather than alert, so it leaves neither an alert nor state behind.
      clearAll();
      return;
    }
    long silentUntil = timestamp + 1 - latenessMs;
    AlertState state = new AlertState();
    state.startTime = last.windowEnd;
    state.lastEnd = silentUntil;
    state.open = true;
    state.critical = true;
    state.observed = (silentUntil - last.windowEnd) / 60_000.0;
    silentUltraServer.update(state);
    out.collect(ultraServerSilentAlert(last, new AlertTracker.Event(AlertTracker.Transition.OPENED, state),
        silentUntil));
  }

  private void ultraServerBack(ChipWindowStats s, Collector<Alert> out) throws Exception {
    AlertState silent = silentUltraServer.value();
    if (silent == null) return;
    ChipWindowStats last = latest.value();
    silent.lastEnd = s.windowStart;
    silent.observed = (s.windowStart - silent.startTime) / 60_000.0;
    Waste w = pricing.silent(last.generation, last.chips(), s.windowStart - silent.startTime);
    silent.wastedCostUsd = w.costUsd();
    out.collect(ultraServerSilentAlert(last, new AlertTracker.Event(AlertTracker.Transition.RESOLVED, silent),
        s.windowEnd));
    silentUltraServer.clear();
  }

  /**
   * After a day without a window the UltraServer is taken out of service, as a chip is: its silence alert ends (with
   * what it cost until then) and its state goes, so keys that never come back cannot pile up.
   */
  private void forget(ChipWindowStats last, long at, Collector<Alert> out) throws Exception {
    AlertState silent = silentUltraServer.value();
    if (silent != null) {
      silent.lastEnd = at;
      silent.observed = (at - silent.startTime) / 60_000.0;
      silent.wastedCostUsd = pricing.silent(last.generation, last.chips(), at - silent.startTime).costUsd();
      out.collect(ultraServerSilentAlert(last, new AlertTracker.Event(AlertTracker.Transition.RESOLVED, silent), at));
    }
    clearAll();
  }

  private void clearAll() {
    lastSeen.clear();
    silentChips.clear();
    ecc.clear();
    eccLast.clear();
    powerCap.clear();
    hbm.clear();
    idle.clear();
    silentUltraServer.clear();
    latest.clear();
    windowsSeen.clear();
  }

  private Alert ultraServerSilentAlert(ChipWindowStats last, AlertTracker.Event e, long at) {
    List<Integer> chipIds = new ArrayList<>();
    for (int c : last.chipIds) chipIds.add(c);
    String summary = String.format("UltraServer %d sent nothing for %.0f min (last window ended %s)",
        last.ultraserverId, e.state().observed, java.time.Instant.ofEpochMilli(last.windowEnd));
    return Alerts.of(AlertKind.CHIP_SILENT, e, subject(last, chipIds, "ultraserver-" + last.ultraserverId),
        AlertSeverity.CRITICAL, summary, rules.silentWindows() * last.windowMs() / 60_000.0, at);
  }

  private void silentChips(ChipWindowStats s, Collector<Alert> out) throws Exception {
    Set<Integer> present = new HashSet<>();
    for (int c : s.chipIds) {
      present.add(c);
      lastSeen.put(c, s.windowEnd);
    }
    List<Integer> forget = new ArrayList<>();
    for (Map.Entry<Integer, Long> known : lastSeen.entries()) {
      int chip = known.getKey();
      boolean missing = !present.contains(chip);
      if (missing && s.windowEnd - known.getValue() > FORGET_AFTER_MS) forget.add(chip);
      AlertState state = silentChips.get(chip);
      if (state == null && !missing) continue;
      Waste waste = missing ? pricing.silent(s.generation, 1, s.windowMs()) : Waste.NONE;
      double missingMinutes = (s.windowEnd - known.getValue()) / 60_000.0;
      AlertTracker.Result r = AlertTracker.update(state, rules.silentWindows(), s.windowStart, s.windowEnd, missing,
          missingMinutes, waste);
      put(silentChips, chip, r.state());
      for (AlertTracker.Event e : r.events()) {
        String summary = String.format("chip %d of UltraServer %d sent nothing for %s", chip, s.ultraserverId,
            Alerts.minutes(e.state()));
        out.collect(Alerts.of(AlertKind.CHIP_SILENT, e, subject(s, List.of(chip), "chip-" + chip),
            AlertSeverity.WARNING, summary, rules.silentWindows() * s.windowMs() / 60_000.0, s.windowEnd));
      }
    }
    for (int chip : forget) {
      lastSeen.remove(chip);
      silentChips.remove(chip);
    }
  }

  private void eccBursts(ChipWindowStats s, Collector<Alert> out) throws Exception {
    for (int i = 0; i < s.chips(); i++) {
      int chip = s.chipIds[i];
      long[] before = eccLast.get(chip);
      long corrected = s.eccCorrectedIncrease[i]
          + (before == null ? 0 : UltraServerAccumulator.increase(before[0], s.eccCorrectedFirst[i]));
      long uncorrected = s.eccUncorrectedIncrease[i]
          + (before == null ? 0 : UltraServerAccumulator.increase(before[1], s.eccUncorrectedFirst[i]));
      eccLast.put(chip, new long[] {s.eccCorrectedLast[i], s.eccUncorrectedLast[i]});
      boolean burst = corrected >= rules.eccBurstCorrected() || uncorrected > 0;
      AlertState state = ecc.get(chip);
      if (state == null && !burst) continue;
      AlertTracker.Result r = AlertTracker.update(state, 1, s.windowStart, s.windowEnd, burst, corrected, Waste.NONE);
      if (r.state() != null && uncorrected > 0) r.state().critical = true;
      put(ecc, chip, r.state());
      for (AlertTracker.Event e : r.events()) {
        String summary = String.format("chip %d of UltraServer %d: %,.0f corrected ECC errors in a window%s", chip,
            s.ultraserverId, e.state().observed, e.state().critical ? ", and uncorrected errors" : "");
        out.collect(Alerts.of(AlertKind.ECC_BURST, e, subject(s, List.of(chip), "chip-" + chip),
            e.state().critical ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, summary, rules.eccBurstCorrected(),
            s.windowEnd));
      }
    }
  }

  private void powerCap(ChipWindowStats s, Collector<Alert> out) throws Exception {
    MetricFactors.GenerationFactors gen = pricing.generation(s.generation);
    double capLimit = rules.powerCapBelowRated() * gen.maxPowerW();
    boolean capped = rules.powerCapped(s, gen);
    if (!capped && s.utilizationAvgAll < rules.lowDemandUtilization()) {
      // Chips that ask for little power (a training job writing a checkpoint) cannot show a cap: the window is not
      // judged, so a cap that outlasts a checkpoint stays one alert instead of one per checkpoint interval.
      AlertState state = powerCap.value();
      if (state != null) powerCap.update(AlertTracker.pass(state, s.windowStart, s.windowEnd));
      return;
    }
    // Under a cap at C watts the chips can use (C - idle) / (max - idle) of their dynamic range: the rest of what
    // the UltraServer costs buys compute the cap withholds.
    double withheld = (gen.maxPowerW() - s.powerCeilingW) / (gen.maxPowerW() - gen.idlePowerW());
    Waste waste = capped ? new Waste(0, s.costUsd * withheld, 0) : Waste.NONE;
    track(powerCap, AlertKind.POWER_CAP, AlertSeverity.INFO, s, capped, s.powerCeilingW, waste, rules.sustainWindows(),
        capLimit, e -> String.format("UltraServer %d power flat at %.0f W (rated max %.0f W) for %s",
            s.ultraserverId, e.state().observed, gen.maxPowerW(), Alerts.minutes(e.state())), out);
  }

  private void hbmPressure(ChipWindowStats s, Collector<Alert> out) throws Exception {
    boolean pressed = s.hbmUtil >= rules.hbmPressure();
    track(hbm, AlertKind.HBM_PRESSURE, AlertSeverity.WARNING, s, pressed, s.hbmUtil, Waste.NONE,
        rules.sustainWindows(), rules.hbmPressure(), e -> String.format("UltraServer %d HBM %.0f%% full for %s",
            s.ultraserverId, 100 * e.state().observed, Alerts.minutes(e.state())), out);
  }

  private void reservedIdle(ChipWindowStats s, Collector<Alert> out) throws Exception {
    boolean idling = s.utilizationAvgAll < MetricFactors.IDLE_UTILIZATION;
    track(idle, AlertKind.RESERVED_IDLE, AlertSeverity.INFO, s, idling, s.utilizationAvgAll,
        idling ? pricing.ultraserver(s) : Waste.NONE, rules.idleWindows(), MetricFactors.IDLE_UTILIZATION,
        e -> String.format("UltraServer %d reserved but idle (%.1f%% busy) for %s, $%.2f spent", s.ultraserverId,
            100 * e.state().observed, Alerts.minutes(e.state()), e.state().wastedCostUsd), out);
  }

  private void track(ValueState<AlertState> store, AlertKind kind, AlertSeverity severity, ChipWindowStats s,
      boolean condition, double observed, Waste waste, int sustain, double threshold,
      java.util.function.Function<AlertTracker.Event, String> summary, Collector<Alert> out) throws Exception {
    AlertState state = store.value();
    if (state == null && !condition) return;
    AlertTracker.Result r = AlertTracker.update(state, sustain, s.windowStart, s.windowEnd, condition, observed, waste);
    if (r.state() == null) store.clear(); else store.update(r.state());
    for (AlertTracker.Event e : r.events()) {
      out.collect(Alerts.of(kind, e, subject(s, List.of(), "ultraserver-" + s.ultraserverId), severity,
          summary.apply(e), threshold, s.windowEnd));
    }
  }

  private static Alerts.Subject subject(ChipWindowStats s, List<Integer> chips, String id) {
    return new Alerts.Subject(s.site, s.ultraserverId, s.workloadId >= 0 ? s.workloadId : null, chips, id);
  }

  private static <K> void put(MapState<K, AlertState> map, K key, AlertState state) throws Exception {
    if (state == null) map.remove(key); else map.put(key, state);
  }
}
