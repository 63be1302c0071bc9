package io.fleetpulse.dashboard;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllFloatsSketch;

/**
 * One event-time window as the page shows it: the fleet and each site, from the job's roll-ups where they have
 * arrived and re-aggregated from UltraServer windows where not, plus the most wasteful UltraServers; and when
 * its records were emitted by the job and reached the dashboard.
 */
final class WindowBoard {

  static final int WASTEFUL_ROWS = 10;
  static final String FLEET = "fleet";
  /** An emitted_at this far past the dashboard's clock is a wrong clock or a forgery: treated as unknown. */
  static final long MAX_EMITTED_AHEAD_MS = 300_000;

  private final long start;
  private final long end;
  /** UltraServers already counted: the job writes at least once, so a window may arrive twice after a restart. */
  private final BitSet ultraserversSeen = new BitSet();
  private final Map<String, GroupTotals> derivedSites = new TreeMap<>();
  private GroupTotals fleetRollup;
  private final Map<String, GroupTotals> siteRollups = new TreeMap<>();
  private final WasteRanking wasteful = new WasteRanking(WASTEFUL_ROWS);
  /** Records counted, each of its own UltraServer or roll-up: how many sources vouch for this window. */
  private int records;
  private long receivedAt;
  private long emittedAt;
  private boolean live;

  WindowBoard(long start, long end) {
    this.start = start;
    this.end = end;
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  long length() {
    return end - start;
  }

  int records() {
    return records;
  }

  /**
   * Takes one checked record of this window (its sketch already read). A second record of the same UltraServer
   * or roll-up is refused as a duplicate: the first one counted stays, so a window counts once however often the
   * job (at least once) or anyone else repeats it. GENERATION records never get here.
   */
  void accept(WindowMetrics m, KllFloatsSketch sketch, Arrival arrival) {
    AggregationLevel level = m.getLevel();
    switch (level) {
      case ULTRASERVER -> {
        int id = m.getUltraserverId();
        if (ultraserversSeen.get(id)) throw duplicate("UltraServer " + id);
        ultraserversSeen.set(id);
        derivedSites.computeIfAbsent(m.getSite(), s -> new GroupTotals()).add(m, sketch);
        wasteful.offer(m);
      }
      case SITE -> {
        if (siteRollups.containsKey(m.getSite())) throw duplicate("site roll-up " + m.getSite());
        GroupTotals site = new GroupTotals();
        site.add(m, sketch);
        siteRollups.put(m.getSite(), site);
      }
      case FLEET -> {
        if (fleetRollup != null) throw duplicate("fleet roll-up");
        fleetRollup = new GroupTotals();
        fleetRollup.add(m, sketch);
      }
      default -> throw new IllegalArgumentException("level " + level + " is not shown");
    }
    records++;
    receivedAt = Math.max(receivedAt, arrival.receivedAt());
    live = arrival.live();
    long emitted = m.getEmittedAt().toEpochMilli();
    if (emitted >= RecordCheck.MIN_TIME && emitted <= arrival.receivedAt() + MAX_EMITTED_AHEAD_MS) {
      emittedAt = Math.max(emittedAt, emitted);
    }
  }

  private RecordRejected duplicate(String what) {
    return new RecordRejected(SkipReason.DUPLICATE, what + " of window " + java.time.Instant.ofEpochMilli(start)
        + " is already counted");
  }

  /**
   * Samples of the whole fleet in this window: the fleet roll-up's when it has arrived, else the UltraServer
   * windows' so far. The tenant view compares its tenants' samples with it to tell a complete tenant window.
   */
  long fleetSamples() {
    if (fleetRollup != null) return fleetRollup.samples();
    long n = 0;
    for (GroupTotals site : derivedSites.values()) n += site.samples();
    return n;
  }

  /**
   * The fleet re-aggregated from its sites' UltraServers, when asked (each published view): one sketch merge per
   * UltraServer on arrival, not two, while the whole fleet's windows arrive at once.
   */
  private GroupTotals derivedFleet() {
    GroupTotals fleet = new GroupTotals();
    derivedSites.values().forEach(fleet::add);
    return fleet;
  }

  Views.WindowView view(long publishedAt) {
    long ms = end - start;
    Views.Summary fleet = fleetRollup != null
        ? fleetRollup.summary(FLEET, FLEET, Views.Source.ROLLUP, ms)
        : derivedFleet().summary(FLEET, FLEET, Views.Source.DERIVED, ms);
    TreeMap<String, Views.Summary> sites = new TreeMap<>();
    derivedSites.forEach((id, t) -> sites.put(id, t.summary("site", id, Views.Source.DERIVED, ms)));
    siteRollups.forEach((id, t) -> sites.put(id, t.summary("site", id, Views.Source.ROLLUP, ms)));
    return new Views.WindowView(start, end, fleet, new ArrayList<>(sites.values()), wasteful.rows(), receivedAt,
        emittedAt == 0 ? null : emittedAt, live, publishedAt);
  }
}
