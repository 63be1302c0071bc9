package io.fleetpulse.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the Kafka side has seen, written by the Kafka thread and read by the heartbeat. */
final class StreamStatus {

  private static final SkipReason[] REASONS = SkipReason.values();

  private final AtomicLong records = new AtomicLong();
  private final AtomicLongArray skipped = new AtomicLongArray(REASONS.length);
  private volatile long lastRecordAt = -1;
  private volatile long latestWindowEnd = -1;
  private volatile String lastSkipped;
  private volatile String kafka = "connecting";

  /** Counts a record read from Kafka, whatever becomes of it. */
  void record() {
    records.incrementAndGet();
  }

  /** A window record changed the board, whose newest window now ends at newestEnd. */
  void windowChanged(long at, long newestEnd) {
    lastRecordAt = at;
    latestWindowEnd = newestEnd;
  }

  /** The newest window shown, which may also move back (when the board drops windows that were ahead). */
  void newestWindowEnd(long end) {
    latestWindowEnd = end;
  }

  /** Counts a record that is not shown; returns how many have been skipped for that reason. */
  long skipped(SkipReason reason, String where, String why) {
    lastSkipped = where + ": " + reason.key() + ": " + why;
    return skipped.incrementAndGet(reason.ordinal());
  }

  /**
   * Moves n records from one category to another, when what became of them changed later: held records shown
   * after all, shown records dropped as ahead. Null stands for "shown".
   */
  void reclassify(SkipReason from, SkipReason to, long n) {
    if (from != null) skipped.addAndGet(from.ordinal(), -n);
    if (to != null) skipped.addAndGet(to.ordinal(), n);
  }

  void kafka(String state) {
    kafka = state;
  }

  long records() {
    return records.get();
  }

  /** End of the newest window shown, -1 before the first. */
  long latestWindowEnd() {
    return latestWindowEnd;
  }

  long skippedCount() {
    long n = 0;
    for (int i = 0; i < REASONS.length; i++) n += skipped.get(i);
    return n;
  }

  long skippedCount(SkipReason reason) {
    return skipped.get(reason.ordinal());
  }

  /** Every reason, in a fixed order, zeros included: a script can read any key without checking for it. */
  Map<String, Long> skippedByReason() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (SkipReason r : REASONS) out.put(r.key(), skipped.get(r.ordinal()));
    return out;
  }

  Views.StatusView view(int browsers, long staleAfterMs, Views.LatencyView latency) {
    long last = lastRecordAt;
    long end = latestWindowEnd;
    Map<String, Long> byReason = skippedByReason();
    long total = byReason.values().stream().mapToLong(Long::longValue).sum();
    return new Views.StatusView(System.currentTimeMillis(), last < 0 ? null : last, end < 0 ? null : end,
        records.get(), total, byReason, lastSkipped, kafka, browsers, staleAfterMs, latency);
  }
}
