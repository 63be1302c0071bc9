package io.fleetpulse.dashboard;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * One event-time window as the page shows it: the fleet and each site, from the job's roll-ups where they have
 * arrived and re-aggregated from UltraServer windows where not, plus the most wasteful UltraServers.
 */
final class WindowBoard {

  static final int WASTEFUL_ROWS = 10;
  static final String FLEET = "fleet";

  private final long start;
  private final long end;
  /** UltraServers already counted: the job writes at least once, so a window may arrive twice after a restart. */
  private final BitSet ultraserversSeen = new BitSet();
  private final GroupTotals derivedFleet = new GroupTotals();
  private final Map<String, GroupTotals> derivedSites = new TreeMap<>();
  private GroupTotals fleetRollup;
  private final Map<String, GroupTotals> siteRollups = new TreeMap<>();
  private final WasteRanking wasteful = new WasteRanking(WASTEFUL_ROWS);

  WindowBoard(long start, long end) {
    this.start = start;
    this.end = end;
  }

  long start() {
    return start;
  }

  /** Takes one record of this window; returns false when it changes nothing (a repeat, or a level not shown). */
  boolean accept(WindowMetrics m) {
    AggregationLevel level = m.getLevel();
    switch (level) {
      case ULTRASERVER -> {
        int id = m.getUltraserverId();
        if (ultraserversSeen.get(id)) return false;
        ultraserversSeen.set(id);
        derivedFleet.add(m);
        derivedSites.computeIfAbsent(m.getSite(), s -> new GroupTotals()).add(m);
        wasteful.offer(m);
        return true;
      }
      case SITE -> {
        // A repeated roll-up carries the same sums; a newer one replaces the old. Either way, the latest wins.
        GroupTotals site = new GroupTotals();
        site.add(m);
        siteRollups.put(m.getSite(), site);
        return true;
      }
      case FLEET -> {
        fleetRollup = new GroupTotals();
        fleetRollup.add(m);
        return true;
      }
      default -> {
        return false; // GENERATION: not on the page yet
      }
    }
  }

  Views.WindowView view() {
    long ms = end - start;
    Views.Summary fleet = fleetRollup != null
        ? fleetRollup.summary(FLEET, FLEET, Views.Source.ROLLUP, ms)
        : derivedFleet.summary(FLEET, FLEET, Views.Source.DERIVED, ms);
    TreeMap<String, Views.Summary> sites = new TreeMap<>();
    derivedSites.forEach((id, t) -> sites.put(id, t.summary("site", id, Views.Source.DERIVED, ms)));
    siteRollups.forEach((id, t) -> sites.put(id, t.summary("site", id, Views.Source.ROLLUP, ms)));
    return new Views.WindowView(start, end, fleet, new ArrayList<>(sites.values()), wasteful.rows());
  }
}
