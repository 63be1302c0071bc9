package io.fleetpulse.jobs.alerts;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.window.ChipWindowStats;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Stragglers, keyed by training job: in a synchronous job every chip should be about as busy as its peers. Once the
 * watermark has passed a window (an event-time timer at its end), all of the job's UltraServers have reported it;
 * each chip is compared with the job's median, and a chip under {@code stragglerRatio} of it for
 * {@code sustainWindows} windows opens an alert. Windows where the job itself is not busy (checkpointing) are not
 * judged. Chips of a power-capped UltraServer are not judged either, nor counted in the median: the cap slows them
 * (it is reported as POWER_CAP), and near the threshold they would flap in and out of straggling with the job's
 * noise, one alert per chip. Waste: the chip's shortfall share of its cost, energy and carbon.
 */
public final class StragglerDetector extends KeyedProcessFunction<Integer, ChipWindowStats, Alert> {

  private static final long serialVersionUID = 1L;
  private final AlertRules rules;
  private final WastePricing pricing;
  private final long latenessMs;
  private transient ListState<ChipWindowStats> pending;
  private transient MapState<Integer, AlertState> chips;

  public StragglerDetector(AlertRules rules, MetricFactors factors) {
    this(rules, factors, 0);
  }

  /** @param latenessMs the windows' allowed lateness: a job's UltraServer windows are all in that much after the end */
  public StragglerDetector(AlertRules rules, MetricFactors factors, long latenessMs) {
    this.rules = rules;
    this.pricing = new WastePricing(factors);
    this.latenessMs = latenessMs;
  }

  @Override
  public void open(OpenContext ctx) {
    pending = getRuntimeContext().getListState(
        new ListStateDescriptor<>("pending-windows", TypeInformation.of(ChipWindowStats.class)));
    chips = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("straggler-chips", Types.INT, TypeInformation.of(AlertState.class)));
  }

  @Override
  public void processElement(ChipWindowStats stats, Context ctx, Collector<Alert> out) throws Exception {
    pending.add(stats);
    ctx.timerService().registerEventTimeTimer(stats.windowEnd - 1 + latenessMs);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    Map<Long, List<ChipWindowStats>> due = new TreeMap<>();
    List<ChipWindowStats> later = new ArrayList<>();
    for (ChipWindowStats s : pending.get()) {
      if (s.windowEnd - 1 + latenessMs <= timestamp) {
        due.computeIfAbsent(s.windowStart, k -> new ArrayList<>()).add(s);
      } else {
        later.add(s);
      }
    }
    pending.update(later);
    for (List<ChipWindowStats> window : due.values()) judge(ctx.getCurrentKey(), window, out);
  }

  private void judge(int job, List<ChipWindowStats> all, Collector<Alert> out) throws Exception {
    List<ChipWindowStats> window = new ArrayList<>();
    for (ChipWindowStats s : all) {
      if (rules.powerCapped(s, pricing.generation(s.generation))) {
        pass(s);
      } else {
        window.add(s);
      }
    }
    double median = median(window);
    if (median < rules.lowDemandUtilization()) {
      // The job is checkpointing or stalled: nobody is judged, and an open straggler alert carries on.
      for (ChipWindowStats s : window) pass(s);
      return;
    }
    double threshold = rules.stragglerRatio() * median;
    for (ChipWindowStats s : window) {
      for (int i = 0; i < s.chips(); i++) {
        int chip = s.chipIds[i];
        double ratio = s.utilizationAvg[i] / median;
        boolean straggling = ratio < rules.stragglerRatio();
        AlertState state = chips.get(chip);
        if (state == null && !straggling) continue;
        Waste waste = straggling ? pricing.chip(s, i).times(1 - ratio) : Waste.NONE;
        AlertTracker.Result r = AlertTracker.update(state, rules.sustainWindows(), s.windowStart, s.windowEnd,
            straggling, s.utilizationAvg[i], waste);
        if (r.state() == null) chips.remove(chip); else chips.put(chip, r.state());
        for (AlertTracker.Event e : r.events()) {
          Alerts.Subject subject = new Alerts.Subject(s.site, s.ultraserverId, job, List.of(chip), "chip-" + chip);
          String summary = String.format("chip %d (UltraServer %d) at %.0f%% of training job %d's median utilization "
              + "(%.2f vs %.2f) for %s", chip, s.ultraserverId, 100 * e.state().observed / median, job,
              e.state().observed, median, Alerts.minutes(e.state()));
          out.collect(Alerts.of(AlertKind.STRAGGLER, e, subject, AlertSeverity.WARNING, summary, threshold,
              s.windowEnd));
        }
      }
    }
  }

  /** A window the rule does not judge for these chips: no gap, so their open alerts carry on. */
  private void pass(ChipWindowStats s) throws Exception {
    for (int chip : s.chipIds) {
      AlertState state = chips.get(chip);
      if (state != null) chips.put(chip, AlertTracker.pass(state, s.windowStart, s.windowEnd));
    }
  }

  static double median(List<ChipWindowStats> window) {
    int n = window.stream().mapToInt(ChipWindowStats::chips).sum();
    double[] all = new double[n];
    int k = 0;
    for (ChipWindowStats s : window) {
      System.arraycopy(s.utilizationAvg, 0, all, k, s.chips());
      k += s.chips();
    }
    Arrays.sort(all);
    return n == 0 ? 0 : (n % 2 == 1 ? all[n / 2] : (all[n / 2 - 1] + all[n / 2]) / 2);
  }
}
