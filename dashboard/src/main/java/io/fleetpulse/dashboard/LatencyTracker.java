package io.fleetpulse.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * How late the windows reach the dashboard: window end to the dashboard (receivedAt - windowEnd) and the job's
 * share of it (emitted_at - windowEnd), over the recent windows that arrived live. Written by the Kafka thread
 * after each push, read by the heartbeat.
 *
 * <p>Only honest when window ends are wall-clock times. At --speedup 60 a minute of event time passes in a second
 * and a replay of old days ends its windows days ago, so wall clock minus window end says nothing about the
 * pipeline. The dashboard is not told the speedup; it sees it: consecutive windows arriving faster than their
 * length (event time running at twice the wall clock or more), or windows ending ahead of the wall clock. Then
 * every delay is null and the note says why. A job catching up a backlog looks the same, and is the same case:
 * until it has caught up, its windows arrive faster than real time and their delays shrink by the second.
 */
final class LatencyTracker {

  /** Live windows kept for the percentiles. */
  static final int KEPT = 64;
  /** The newest windows whose spacing tells the event-time rate (the median of their consecutive pairs). */
  static final int RATE_WINDOWS = 9;
  /** Event time at this many times the wall clock or more is not wall-clock time. */
  static final double FAST_RATE = 2;
  /** A window may end this far past the dashboard's clock (clock skew) before event time counts as ahead. */
  static final long AHEAD_TOLERANCE_MS = 60_000;
  /** With one live window there is no rate yet: one further behind than this waits for a second. */
  static final long ONE_WINDOW_MAX_DELAY_MS = 3_600_000;

  private record Sample(long end, long receivedAt, Long emittedAt) {}

  private final TreeMap<Long, Sample> samples = new TreeMap<>();

  /** Takes the windows just pushed, and forgets those the board dropped. */
  synchronized void update(List<Views.WindowView> pushed, List<Long> removed) {
    removed.forEach(samples::remove);
    for (Views.WindowView w : pushed) {
      if (w.live()) samples.put(w.windowStart(), new Sample(w.windowEnd(), w.receivedAt(), w.emittedAt()));
    }
    while (samples.size() > KEPT) samples.pollFirstEntry();
  }

  /**
   * @param now this server's wall clock
   * @param newestWindowEnd end of the newest window shown (live or not), -1 before the first
   */
  synchronized Views.LatencyView view(long now, long newestWindowEnd) {
    if (samples.isEmpty()) {
      return unknown(null, "no window has arrived live yet (those read back on start say when the dashboard "
          + "started, not how late the stream is)");
    }
    List<Sample> recent = new ArrayList<>(samples.values());
    Sample newest = recent.get(recent.size() - 1);
    Double rate = rate(recent.subList(Math.max(0, recent.size() - RATE_WINDOWS), recent.size()));
    if (newest.end() - newest.receivedAt() > AHEAD_TOLERANCE_MS) {
      return fast(rate, "n/a at speedup: windows end ahead of this server's clock, so event time is not "
          + "wall-clock time");
    }
    if (rate != null && rate >= FAST_RATE) {
      return fast(rate, String.format(Locale.ROOT, "n/a at speedup: event time runs %.0fx the wall clock "
          + "(--speedup, or the job catching up), so window ends are not wall-clock times", rate));
    }
    long lastDelay = newest.receivedAt() - newest.end();
    if (rate == null && lastDelay > ONE_WINDOW_MAX_DELAY_MS) {
      return unknown(null, "one window so far, " + lastDelay / 60_000 + " min behind the wall clock: the next "
          + "tells a delay from a replay");
    }
    long[] delays = recent.stream().mapToLong(s -> s.receivedAt() - s.end()).toArray();
    long[] jobDelays = recent.stream().filter(s -> s.emittedAt() != null).mapToLong(s -> s.emittedAt() - s.end())
        .toArray();
    return new Views.LatencyView("real-time", newest.emittedAt() == null
        ? "window end to this server; the job's share is unknown (its records have no emitted_at)"
        : "window end to this server, and the job's share (emitted_at)",
        rate, newestWindowEnd < 0 ? null : now - newestWindowEnd, recent.size(), lastDelay,
        newest.emittedAt() == null ? null : newest.emittedAt() - newest.end(), percentiles(delays),
        percentiles(jobDelays));
  }

  private Views.LatencyView unknown(Double rate, String note) {
    return new Views.LatencyView("unknown", note, rate, null, samples.size(), null, null, null, null);
  }

  private Views.LatencyView fast(Double rate, String note) {
    return new Views.LatencyView("fast", note, rate, null, samples.size(), null, null, null, null);
  }

  /**
   * Event time per wall-clock time: the median over consecutive windows of (end spacing) / (arrival spacing). A
   * median, because one window's stragglers may arrive after the next window's records. Null with one window.
   */
  private static Double rate(List<Sample> newest) {
    if (newest.size() < 2) return null;
    double[] r = new double[newest.size() - 1];
    for (int i = 1; i < newest.size(); i++) {
      long event = newest.get(i).end() - newest.get(i - 1).end();
      long wall = Math.max(1, newest.get(i).receivedAt() - newest.get(i - 1).receivedAt());
      r[i - 1] = (double) event / wall;
    }
    Arrays.sort(r);
    return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
  }

  /** Nearest rank; null for none. */
  static Views.Percentiles percentiles(long[] values) {
    if (values.length == 0) return null;
    long[] v = values.clone();
    Arrays.sort(v);
    return new Views.Percentiles(rank(v, 0.50), rank(v, 0.95), v[v.length - 1], v.length);
  }

  private static long rank(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
