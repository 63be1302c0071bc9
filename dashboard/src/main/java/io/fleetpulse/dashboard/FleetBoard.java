package io.fleetpulse.dashboard;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllFloatsSketch;

/**
 * What the dashboard knows: the newest windows and the latest state of recent alerts, fed record by record and
 * drained as views of what changed since the last drain. Owned by the Kafka thread; not thread-safe.
 *
 * <p>Every record is checked ({@link RecordCheck}) and refused with a {@link RecordRejected} when it cannot be
 * the job's. Then event time: the board keeps the windows of the last {@code windowsKept} window lengths up to the
 * newest, and takes a record of a window up to {@link #AHEAD_WINDOWS} past the newest. A record further ahead (or
 * behind everything kept, or of another window length) is <em>held</em>, not shown, and counted as skipped: one
 * record stamped 47 hours ahead must neither become the newest window nor push the real ones off the charts.
 * Judged against the stream's own event time, not the wall clock, since a replay or a --speedup run is far from
 * the wall clock by design.
 *
 * <p>But the stream itself may jump: the job restarted at another time, or the very first record read was the
 * stray one. Held records are grouped by where they are in event time; once one group has records from enough
 * distinct sources (UltraServers, roll-ups) to outweigh what the board would give up for it, the board moves
 * there: the held records are shown (and no longer counted as skipped), and the windows it leaves behind are
 * dropped; any that were ahead of the group are counted as skipped {@code ahead}. A few stray records never
 * outweigh a stream of thousands of UltraServers; whoever out-writes the job can (that takes Kafka ACLs to stop).
 */
final class FleetBoard {

  /** UltraServer ids are small dense numbers (15,625 at a million chips); a larger one is a bad record. */
  static final int MAX_ULTRASERVER_ID = 1 << 24;
  /** How far past the newest window a record is taken at once: partitions and roll-ups run a little apart. */
  static final int AHEAD_WINDOWS = 5;
  static final int MAX_GROUPS = 4;
  static final int HELD_PER_GROUP = 64;
  /** A held group that gets no record for this long (wall clock) is dropped; its records stay skipped. */
  static final long HOLD_MS = 120_000;
  /** Distinct sources a held group needs to move the board, at least and at most. */
  static final int MIN_SUPPORT = 3;
  static final int MAX_SUPPORT = 16;

  private final int windowsKept;
  private final int alertsKept;
  private final RecordCheck check;
  private final StreamStatus status;
  private final TreeMap<Long, WindowBoard> windows = new TreeMap<>();
  private final Set<Long> changedWindows = new LinkedHashSet<>();
  /** Windows dropped since the last drain other than by ageing out: browsers must forget them. */
  private final Set<Long> removedWindows = new LinkedHashSet<>();
  private final List<HeldGroup> held = new ArrayList<>();
  /** Access-ordered by update: the eldest entry is the alert updated longest ago, dropped first. */
  private final LinkedHashMap<String, Views.AlertView> alerts = new LinkedHashMap<>();
  private final Map<String, Views.AlertView> changedAlerts = new LinkedHashMap<>();
  private final TenantBoard tenants;
  /** A tenant record arrived, or a window changed that may complete a tenant window, since the last drain. */
  private boolean tenantsTouched;
  private Views.TenantView lastTenantView;

  /** With the built-in fleet's sites and generations, and counts of its own. */
  FleetBoard(int windowsKept, int alertsKept) {
    this(windowsKept, alertsKept, FleetBounds.defaults(), new StreamStatus());
  }

  /** @param status where records that change category later (held, then shown; shown, then dropped) are recounted */
  FleetBoard(int windowsKept, int alertsKept, FleetBounds fleet, StreamStatus status) {
    this.windowsKept = windowsKept;
    this.alertsKept = alertsKept;
    this.check = new RecordCheck(fleet);
    this.status = status;
    this.tenants = new TenantBoard(windowsKept, status);
  }

  /** What became of a record that was not refused. */
  enum Outcome {
    CHANGED,
    /** A level the page does not show (GENERATION, WORKLOAD). */
    IGNORED
  }

  Outcome accept(WindowMetrics m) {
    return accept(m, Arrival.now());
  }

  /** Takes one window record, or throws {@link RecordRejected} saying why not (held records included). */
  Outcome accept(WindowMetrics m, Arrival arrival) {
    KllFloatsSketch sketch = check.window(m);
    if (sketch == null) return Outcome.IGNORED;
    if (m.getLevel() == AggregationLevel.TENANT) {
      // Tenant windows are judged against this board's event time but never move it: they are few, and a
      // stray one must not drag the page along.
      tenants.accept(m, tenantReference());
      tenantsTouched = true;
      return Outcome.CHANGED;
    }
    long start = m.getWindowStart().toEpochMilli();
    long length = m.getWindowEnd().toEpochMilli() - start;
    dropStaleGroups(arrival.receivedAt());
    WindowBoard window = windows.get(start);
    if (window == null || window.length() != length) {
      SkipReason far = farness(start, length);
      if (far != null) {
        if (!hold(new Held(m, sketch, arrival, far))) throw new RecordRejected(far, farMessage(far, m));
        return Outcome.CHANGED;
      }
      window = open(start, length);
    }
    window.accept(m, sketch, arrival);
    changedWindows.add(start);
    tenantsTouched |= !tenants.isEmpty();
    return Outcome.CHANGED;
  }

  Outcome accept(Alert a) {
    check.alert(a);
    if (!windows.isEmpty()) {
      WindowBoard newest = windows.lastEntry().getValue();
      long limit = newest.end() + AHEAD_WINDOWS * newest.length();
      if (a.getUpdatedTime().toEpochMilli() > limit) {
        throw new RecordRejected(SkipReason.AHEAD, "alert " + Text.quote(a.getAlertId()) + " updated "
            + a.getUpdatedTime() + ", past the stream's newest window " + Instant.ofEpochMilli(newest.end()));
      }
    }
    Views.AlertView view = AlertViews.of(a);
    Views.AlertView known = alerts.get(a.getAlertId());
    // Updates of one alert may be redelivered or arrive late: never let an older state overwrite a newer one.
    if (known != null && (known.updatedTime() > view.updatedTime() || known.equals(view))) {
      throw new RecordRejected(SkipReason.DUPLICATE, "alert " + Text.quote(a.getAlertId()) + " updated "
          + a.getUpdatedTime() + " is not newer than the state shown");
    }
    alerts.remove(a.getAlertId());
    alerts.put(a.getAlertId(), view);
    if (alerts.size() > alertsKept) alerts.remove(alerts.keySet().iterator().next());
    changedAlerts.put(a.getAlertId(), view);
    return Outcome.CHANGED;
  }

  boolean hasChanges() {
    return !changedWindows.isEmpty() || !changedAlerts.isEmpty() || !removedWindows.isEmpty() || tenantsTouched;
  }

  /**
   * The tenant view when it differs from the one drained last, else null. Built on demand, at most once per push:
   * a window's UltraServer records may complete a tenant window (their samples reach the tenants' sum).
   */
  Views.TenantView drainTenantView() {
    if (!tenantsTouched && removedWindows.isEmpty()) return null;
    tenantsTouched = false;
    tenants.align(tenantReference());
    Views.TenantView view = tenants.view(this::fleetSamples);
    if (view.equals(lastTenantView)) return null;
    lastTenantView = view;
    return view;
  }

  /** Tenants in the tenant totals: never more than the fleet config has. */
  int tenantsCounted() {
    return tenants.tenantsCounted();
  }

  private TenantBoard.Reference tenantReference() {
    if (windows.isEmpty()) return null;
    WindowBoard newest = windows.lastEntry().getValue();
    return new TenantBoard.Reference(newest.start(), newest.length());
  }

  private long fleetSamples(long start) {
    WindowBoard w = windows.get(start);
    return w == null ? -1 : w.fleetSamples();
  }

  /** Views of the windows changed since the last call, oldest first, stamped with when they are published. */
  List<Views.WindowView> drainChangedWindows(long publishedAt) {
    List<Views.WindowView> out = new ArrayList<>(changedWindows.size());
    changedWindows.stream().sorted().forEach(start -> out.add(windows.get(start).view(publishedAt)));
    changedWindows.clear();
    return out;
  }

  List<Views.WindowView> drainChangedWindows() {
    return drainChangedWindows(System.currentTimeMillis());
  }

  /** Starts of the windows dropped since the last call other than by ageing out (the board moved in event time). */
  List<Long> drainRemovedWindows() {
    List<Long> out = new ArrayList<>(removedWindows);
    removedWindows.clear();
    return out;
  }

  List<Views.AlertView> drainChangedAlerts() {
    List<Views.AlertView> out = new ArrayList<>(changedAlerts.values());
    changedAlerts.clear();
    return out;
  }

  /** End of the newest window shown, -1 before the first. */
  long newestWindowEnd() {
    return windows.isEmpty() ? -1 : windows.lastEntry().getValue().end();
  }

  /** Records held now: far from the stream's event time, waiting to see whether the stream moves there. */
  int heldRecords() {
    return held.stream().mapToInt(g -> g.records.size()).sum();
  }

  // ---- event time ---------------------------------------------------------------------------------------------

  /** Null when a new window at start fits the board; otherwise the reason a record of it is held. */
  private SkipReason farness(long start, long length) {
    if (windows.isEmpty()) return null;
    WindowBoard newest = windows.lastEntry().getValue();
    if (length != newest.length()) return SkipReason.BAD_TIME;
    if (start > newest.start() + AHEAD_WINDOWS * length) return SkipReason.AHEAD;
    if (start < newest.start() - (windowsKept - 1L) * length) return SkipReason.TOO_OLD;
    return null;
  }

  private String farMessage(SkipReason far, WindowMetrics m) {
    WindowBoard newest = windows.lastEntry().getValue();
    String stream = "the stream's newest window starts " + Instant.ofEpochMilli(newest.start());
    return switch (far) {
      case AHEAD -> "window " + m.getWindowStart() + " is more than " + AHEAD_WINDOWS + " windows ahead: " + stream;
      case TOO_OLD -> "window " + m.getWindowStart() + " is older than the " + windowsKept + " windows kept: " + stream;
      default -> "window " + m.getWindowStart() + ".." + m.getWindowEnd() + " differs in length from the stream's ("
          + newest.length() + " ms)";
    };
  }

  /** A new window; the windows that fall out of the kept span age out (browsers drop them the same way). */
  private WindowBoard open(long start, long length) {
    WindowBoard w = new WindowBoard(start, start + length);
    windows.put(start, w);
    long oldest = windows.lastKey() - (windowsKept - 1L) * length;
    while (windows.firstKey() < oldest) changedWindows.remove(windows.pollFirstEntry().getKey());
    return w;
  }

  private record Held(WindowMetrics m, KllFloatsSketch sketch, Arrival arrival, SkipReason reason) {
    long start() {
      return m.getWindowStart().toEpochMilli();
    }

    long length() {
      return m.getWindowEnd().toEpochMilli() - start();
    }

    /** One source per UltraServer, per site roll-up, and the fleet roll-up. */
    String source() {
      return start() + (m.getLevel() == AggregationLevel.ULTRASERVER ? "/u" + m.getUltraserverId()
          : m.getLevel() == AggregationLevel.SITE ? "/s" + m.getSite() : "/f");
    }
  }

  /** Held records close together in event time, of one window length. */
  private static final class HeldGroup {
    final long length;
    long first;
    long last;
    long lastSeen;
    final Set<String> sources = new HashSet<>();
    final Map<Long, Integer> perWindow = new TreeMap<>();
    final List<Held> records = new ArrayList<>();

    HeldGroup(Held h) {
      length = h.length();
      first = h.start();
      last = h.start();
    }

    boolean takes(Held h) {
      return h.length() == length && h.start() >= first - AHEAD_WINDOWS * length
          && h.start() <= last + AHEAD_WINDOWS * length;
    }

    int maxPerWindow() {
      return perWindow.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
  }

  /** Holds a far record; returns true when its group moved the board there (the record is then shown). */
  private boolean hold(Held h) {
    HeldGroup group = held.stream().filter(g -> g.takes(h)).findFirst().orElse(null);
    if (group == null) {
      if (held.size() >= MAX_GROUPS) held.remove(held.stream().min(Comparator.comparingLong(g -> g.lastSeen)).get());
      group = new HeldGroup(h);
      held.add(group);
    }
    // Sources are capped with the records: a flood of distinct fakes needs no more memory than a few.
    if (group.sources.size() < HELD_PER_GROUP * 4 && !group.sources.add(h.source())) {
      throw new RecordRejected(SkipReason.DUPLICATE, h.source() + " is already held");
    }
    group.first = Math.min(group.first, h.start());
    group.last = Math.max(group.last, h.start());
    group.lastSeen = h.arrival().receivedAt();
    group.perWindow.merge(h.start(), 1, Integer::sum);
    if (outweighs(group)) {
      moveTo(group, h);
      return true;
    }
    if (group.records.size() < HELD_PER_GROUP) group.records.add(h);
    return false;
  }

  /**
   * Whether a held group has enough distinct sources to move the board: at least a quarter of the sources of the
   * board's best-vouched window (3..16), and either the windows it would displace (newer than it can take) are
   * vouched for by fewer than that, or its best window has over twice the sources of theirs.
   */
  private boolean outweighs(HeldGroup g) {
    int best = windows.values().stream().mapToInt(WindowBoard::records).max().orElse(0);
    int needed = Math.max(MIN_SUPPORT, Math.min(MAX_SUPPORT, (best + 3) / 4));
    if (g.sources.size() < needed) return false;
    long newestTaken = g.last + AHEAD_WINDOWS * g.length;
    int displaced = 0;
    int displacedBest = 0;
    for (WindowBoard w : windows.values()) {
      if (w.start() > newestTaken || w.length() != g.length && w.start() >= g.first) {
        displaced += w.records();
        displacedBest = Math.max(displacedBest, w.records());
      }
    }
    return displaced < needed || g.maxPerWindow() > 2 * displacedBest;
  }

  /** Moves the board to a held group: drops the windows that do not fit it, then shows the group's records. */
  private void moveTo(HeldGroup g, Held trigger) {
    held.remove(g);
    long newestTaken = g.last + AHEAD_WINDOWS * g.length;
    long newest = g.last;
    for (WindowBoard w : windows.values()) {
      if (w.length() == g.length && w.start() <= newestTaken) newest = Math.max(newest, w.start());
    }
    for (Iterator<WindowBoard> it = windows.values().iterator(); it.hasNext(); ) {
      WindowBoard w = it.next();
      boolean otherLength = w.length() != g.length;
      // Windows ahead of the group were never the stream's: their records are skipped now. Those that age out
      // (older, or of the length the stream had before) were the stream's, shown in their time.
      boolean ahead = w.start() > newestTaken || otherLength && w.start() >= g.first;
      boolean aged = w.start() < newest - (windowsKept - 1L) * g.length || otherLength;
      if (!ahead && !aged) continue;
      it.remove();
      changedWindows.remove(w.start());
      removedWindows.add(w.start());
      if (ahead) status.reclassify(null, otherLength ? SkipReason.BAD_TIME : SkipReason.AHEAD, w.records());
    }
    List<Held> release = new ArrayList<>(g.records);
    release.add(trigger);
    release.sort(Comparator.comparingLong(Held::start));
    RecordRejected triggerRejected = null;
    for (Held h : release) {
      WindowBoard w = windows.get(h.start());
      if (w == null) w = open(h.start(), h.length());
      try {
        w.accept(h.m(), h.sketch(), h.arrival());
        changedWindows.add(h.start());
        // The trigger was never counted as skipped; the others were, under the reason they were held for.
        if (h != trigger) status.reclassify(h.reason(), null, 1);
      } catch (RecordRejected e) {
        // A source the board got meanwhile, while the group was held: it counts once, as ever.
        if (h == trigger) triggerRejected = e;
        else status.reclassify(h.reason(), e.reason(), 1);
      }
    }
    changedWindows.removeIf(start -> !windows.containsKey(start));
    tenantsTouched |= !tenants.isEmpty();
    if (triggerRejected != null) throw triggerRejected;
  }

  /** Drops held groups gone quiet, and those the board has since reached without them (they were strays). */
  private void dropStaleGroups(long now) {
    held.removeIf(g -> now - g.lastSeen > HOLD_MS
        || farness(g.first, g.length) == null && farness(g.last, g.length) == null);
  }
}
