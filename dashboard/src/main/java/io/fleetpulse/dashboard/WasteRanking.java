package io.fleetpulse.dashboard;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.WindowMetrics;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The UltraServers of one window whose unused capacity cost the most: cost_usd * (1 - utilization_avg), the
 * money paid for chip time that did no compute. Keeps only the top few, so a window of 15,625 UltraServers costs
 * a handful of rows, not 15,625.
 */
final class WasteRanking {

  private static final Comparator<Views.WasteRow> BY_WASTE =
      Comparator.comparingDouble((Views.WasteRow r) -> r.unusedCapacityUsd())
          .thenComparing(Comparator.comparingInt(Views.WasteRow::ultraserverId).reversed());

  private final int size;
  /** Least wasteful on top, so it is the one to drop when a worse one arrives. */
  private final PriorityQueue<Views.WasteRow> top;

  WasteRanking(int size) {
    this.size = size;
    this.top = new PriorityQueue<>(size + 1, BY_WASTE);
  }

  /** Considers one UltraServer window; returns true when it entered the ranking. */
  boolean offer(WindowMetrics m) {
    double util = m.getSamples() == 0 ? Double.NaN : m.getUtilizationSum() / m.getSamples();
    double unused = m.getCostUsd() * (1 - util);
    if (!Double.isFinite(unused)) return false;
    // $/PFLOP from the sums, like every other ratio on the page: the record's own ratio fields are not checked.
    Views.WasteRow row = new Views.WasteRow(m.getUltraserverId(), m.getSite(), m.getGeneration(), Json.num(util),
        Json.num(m.getIdleEnergyKwh()), unused, Json.num(m.getCostUsd()),
        Json.num(MetricSums.ratio(m.getCostUsd(), m.getDeliveredPflop())), m.getPowerModelled());
    if (top.size() < size) {
      top.add(row);
      return true;
    }
    if (BY_WASTE.compare(row, top.peek()) <= 0) return false;
    top.poll();
    top.add(row);
    return true;
  }

  /** Most wasteful first. */
  List<Views.WasteRow> rows() {
    return top.stream().sorted(BY_WASTE.reversed()).toList();
  }
}
