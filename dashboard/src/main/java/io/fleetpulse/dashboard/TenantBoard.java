package io.fleetpulse.dashboard;

import io.fleetpulse.schema.WindowMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * The tenant view's memory: the job's TENANT windows (one record per tenant and window), and per tenant the
 * totals of every window counted. Owned by the {@link FleetBoard}, on the Kafka thread; not thread-safe.
 *
 * <p>Bounded: records are checked first ({@link RecordCheck}), and a TENANT record must name a tenant of the
 * fleet config (at most 100, plus {@code unplaced} and {@code unknown}), so a flood of made-up tenant ids is
 * refused, not kept. It keeps the windows the fleet board keeps (the same {@code --windows} span, judged against
 * the same event time), so at most windows-kept times tenants small cells, and one totals row per tenant.
 *
 * <p>A tenant's window may come again (a replay, or a job of an earlier build that re-fired windows with late data):
 * one with more samples replaces the first (the totals too). A repeat with no more samples (the job writes at
 * least once) is a duplicate.
 */
final class TenantBoard {

  /** Rows of each ranking. */
  static final int ROWS = 10;
  private static final double MS_PER_HOUR = 3_600_000.0;

  /** A reference point in event time: the fleet board's newest window. */
  record Reference(long start, long length) {}

  /** What the view needs of one tenant's record. */
  private record Cell(int ultraservers, int chips, long samples, double utilizationSum, double costUsd,
      double idleCostUsd, double carbonLocationKg, double carbonMarketKg) {

    static Cell of(WindowMetrics m) {
      return new Cell(m.getUltraservers(), m.getChipsReporting(), m.getSamples(), m.getUtilizationSum(),
          m.getCostUsd(), m.getIdleCostUsd(), m.getCarbonLocationKg(), m.getCarbonMarketKg());
    }
  }

  private static final class Totals {
    double costUsd;
    double carbonLocationKg;
    double carbonMarketKg;
    int windows;

    void add(Cell c, int sign) {
      costUsd += sign * c.costUsd();
      carbonLocationKg += sign * c.carbonLocationKg();
      carbonMarketKg += sign * c.carbonMarketKg();
    }
  }

  private static final class Window {
    final long start;
    final long length;
    final TreeMap<String, Cell> tenants = new TreeMap<>();

    Window(long start, long length) {
      this.start = start;
      this.length = length;
    }

    long samples() {
      long n = 0;
      for (Cell c : tenants.values()) n += c.samples();
      return n;
    }
  }

  private final int windowsKept;
  private final StreamStatus status;
  private final TreeMap<Long, Window> windows = new TreeMap<>();
  private final Map<String, Totals> totals = new HashMap<>();
  private int totalWindows;
  /** Start of the oldest window that aged out (it stays in the totals), Long.MAX_VALUE before any did. */
  private long oldestAgedOut = Long.MAX_VALUE;
  /** Windows up to this start have aged out: a record of one would count twice in the totals. */
  private long agedOutUpTo = Long.MIN_VALUE;

  /** @param status where tenant records dropped later (they were ahead of the stream) are recounted as skipped */
  TenantBoard(int windowsKept, StreamStatus status) {
    this.windowsKept = windowsKept;
    this.status = status;
  }

  boolean isEmpty() {
    return windows.isEmpty();
  }

  /** Tenants known to the totals: at most the fleet config's. */
  int tenantsCounted() {
    return totals.size();
  }

  /**
   * Takes one checked TENANT record, or throws {@link RecordRejected} saying why not.
   *
   * @param fleet the fleet board's newest window; null when it has none, and then the tenant windows' own newest
   *     is the reference, by the same rules
   */
  void accept(WindowMetrics m, Reference fleet) {
    long start = m.getWindowStart().toEpochMilli();
    long length = m.getWindowEnd().toEpochMilli() - start;
    Reference ref = fleet != null ? fleet
        : windows.isEmpty() ? null : new Reference(windows.lastKey(), windows.lastEntry().getValue().length);
    String what = "tenant " + Text.quote(m.getTenant()) + " of window " + m.getWindowStart();
    if (ref != null) {
      if (length != ref.length()) {
        throw new RecordRejected(SkipReason.BAD_TIME, what + " differs in length from the stream's (" + ref.length()
            + " ms)");
      }
      if (start > ref.start() + FleetBoard.AHEAD_WINDOWS * length) {
        throw new RecordRejected(SkipReason.AHEAD, what + " is more than " + FleetBoard.AHEAD_WINDOWS
            + " windows ahead of the stream's newest " + Instant.ofEpochMilli(ref.start()));
      }
      if (start < ref.start() - (windowsKept - 1L) * length) {
        throw new RecordRejected(SkipReason.TOO_OLD, what + " is older than the " + windowsKept + " windows kept");
      }
    }
    if (start <= agedOutUpTo) {
      throw new RecordRejected(SkipReason.TOO_OLD, what + " has left the tenant view (it is in the totals)");
    }
    Window w = windows.get(start);
    Cell old = w == null ? null : w.tenants.get(m.getTenant());
    if (old != null && m.getSamples() <= old.samples()) {
      throw new RecordRejected(SkipReason.DUPLICATE, what + " is already counted");
    }
    if (w == null) {
      w = new Window(start, length);
      windows.put(start, w);
      totalWindows++;
    }
    Cell cell = Cell.of(m);
    w.tenants.put(m.getTenant(), cell);
    Totals t = totals.computeIfAbsent(m.getTenant(), k -> new Totals());
    if (old != null) {
      t.add(old, -1);
    } else {
      t.windows++;
    }
    t.add(cell, 1);
    // The span follows the fleet board's newest window when there is one, as the fleet board's own windows do.
    ageOut(fleet != null ? fleet.start() : windows.lastKey(), length);
  }

  /**
   * Follows the fleet board in event time (it may have moved since): tenant windows ahead of it, or of another
   * window length, were never the stream's and go (their records recounted as skipped, and out of the totals);
   * those older than the kept span age out (they stay in the totals).
   */
  void align(Reference fleet) {
    if (fleet == null) return;
    for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
      Window w = it.next();
      boolean otherLength = w.length != fleet.length();
      if (!otherLength && w.start <= fleet.start() + FleetBoard.AHEAD_WINDOWS * fleet.length()) continue;
      it.remove();
      totalWindows--;
      for (Map.Entry<String, Cell> e : w.tenants.entrySet()) {
        Totals t = totals.get(e.getKey());
        t.add(e.getValue(), -1);
        if (--t.windows == 0) totals.remove(e.getKey());
      }
      status.reclassify(null, otherLength ? SkipReason.BAD_TIME : SkipReason.AHEAD, w.tenants.size());
    }
    // The stream moved back in time (a job restarted earlier): its windows there are new ones, not repeats.
    agedOutUpTo = Math.min(agedOutUpTo, fleet.start() - windowsKept * fleet.length());
    ageOut(fleet.start(), fleet.length());
  }

  private void ageOut(long newestStart, long length) {
    long oldest = newestStart - (windowsKept - 1L) * length;
    while (!windows.isEmpty() && windows.firstKey() < oldest) {
      long start = windows.pollFirstEntry().getKey();
      oldestAgedOut = Math.min(oldestAgedOut, start);
      agedOutUpTo = Math.max(agedOutUpTo, start);
    }
  }

  /**
   * The view of the newest complete window: the newest window when its tenants' samples add up to the fleet's
   * for that window (the job's tenant windows partition the fleet exactly; more, when a re-fire brought late data
   * that the fleet board counted as a repeat), else the one before it (a newer window has begun, so the job has
   * fired it).
   *
   * @param fleetSamples the fleet's samples in the window starting at the given time, -1 when unknown
   */
  Views.TenantView view(LongUnaryOperator fleetSamples) {
    Window shown = null;
    if (!windows.isEmpty()) {
      Window newest = windows.lastEntry().getValue();
      long fleet = fleetSamples.applyAsLong(newest.start);
      if (fleet > 0 && newest.samples() >= fleet) {
        shown = newest;
      } else if (windows.size() > 1) {
        shown = windows.lowerEntry(newest.start).getValue();
      }
    }
    long since = Math.min(oldestAgedOut, windows.isEmpty() ? Long.MAX_VALUE : windows.firstKey());
    double totalCost = 0;
    double totalLocation = 0;
    double totalMarket = 0;
    for (Totals t : totals.values()) {
      totalCost += t.costUsd;
      totalLocation += t.carbonLocationKg;
      totalMarket += t.carbonMarketKg;
    }
    Long sinceOrNull = since == Long.MAX_VALUE ? null : since;
    if (shown == null) {
      return new Views.TenantView(null, null, 0, null, null, null, null, null, null, null, List.of(), List.of(),
          List.of(), sinceOrNull, totalWindows, Json.num(totalCost), Json.num(totalLocation), Json.num(totalMarket));
    }
    double hours = shown.length / MS_PER_HOUR;
    List<Views.TenantRow> rows = new ArrayList<>(shown.tenants.size());
    double cost = 0;
    double idle = 0;
    double location = 0;
    double market = 0;
    for (Map.Entry<String, Cell> e : shown.tenants.entrySet()) {
      Cell c = e.getValue();
      rows.add(row(e.getKey(), c, totals.get(e.getKey()), hours));
      cost += c.costUsd();
      idle += c.idleCostUsd();
      location += c.carbonLocationKg();
      market += c.carbonMarketKg();
    }
    return new Views.TenantView(shown.start, shown.start + shown.length, rows.size(), Json.num(cost),
        Json.num(cost / hours), share(idle, cost), Json.num(location), Json.num(location / hours), Json.num(market),
        Json.num(market / hours), top(rows, Views.TenantRow::costUsd), top(rows, Views.TenantRow::carbonLocationKg),
        top(rows, Views.TenantRow::carbonMarketKg), sinceOrNull, totalWindows, Json.num(totalCost),
        Json.num(totalLocation), Json.num(totalMarket));
  }

  private static Views.TenantRow row(String tenant, Cell c, Totals t, double hours) {
    return new Views.TenantRow(tenant, c.ultraservers(), c.chips(),
        Json.num(c.samples() == 0 ? Double.NaN : c.utilizationSum() / c.samples()),
        Json.num(c.costUsd()), Json.num(c.costUsd() / hours),
        Json.num(c.idleCostUsd()), share(c.idleCostUsd(), c.costUsd()),
        Json.num(c.carbonLocationKg()), Json.num(c.carbonLocationKg() / hours),
        Json.num(c.carbonMarketKg()), Json.num(c.carbonMarketKg() / hours),
        Json.num(t.costUsd), Json.num(t.carbonLocationKg), Json.num(t.carbonMarketKg), t.windows);
  }

  /** A share of a cost; undefined (null) when there was no cost. */
  private static Double share(double part, double whole) {
    return whole > 0 ? Json.num(part / whole) : null;
  }

  /** The first ROWS by the figure, largest first; ties by tenant id, so the order never depends on arrival. */
  static List<Views.TenantRow> top(List<Views.TenantRow> rows, Function<Views.TenantRow, Double> figure) {
    Comparator<Views.TenantRow> order = Comparator.comparing(
        (Views.TenantRow r) -> figure.apply(r) == null ? Double.NEGATIVE_INFINITY : figure.apply(r))
        .reversed().thenComparing(Views.TenantRow::tenant);
    return rows.stream().sorted(order).limit(ROWS).toList();
  }
}
