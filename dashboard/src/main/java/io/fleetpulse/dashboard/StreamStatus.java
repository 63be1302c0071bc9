package io.fleetpulse.dashboard;

import java.util.concurrent.atomic.AtomicLong;

/** What the Kafka side has seen, written by the Kafka thread and read by the heartbeat. */
final class StreamStatus {

  private final AtomicLong records = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile long lastRecordAt = -1;
  private volatile long latestWindowEnd = -1;
  private volatile String lastSkipped;
  private volatile String kafka = "connecting";

  void windowRecord(long windowEnd) {
    records.incrementAndGet();
    lastRecordAt = System.currentTimeMillis();
    if (windowEnd > latestWindowEnd) latestWindowEnd = windowEnd;
  }

  void alertRecord() {
    records.incrementAndGet();
  }

  /** Counts a record that could not be shown; returns how many there have been. */
  long skipped(String where, String why) {
    lastSkipped = where + ": " + why;
    return skipped.incrementAndGet();
  }

  void kafka(String state) {
    kafka = state;
  }

  long records() {
    return records.get();
  }

  long skippedCount() {
    return skipped.get();
  }

  Views.StatusView view(int browsers, long staleAfterMs) {
    long last = lastRecordAt;
    long end = latestWindowEnd;
    return new Views.StatusView(System.currentTimeMillis(), last < 0 ? null : last, end < 0 ? null : end,
        records.get(), skipped.get(), lastSkipped, kafka, browsers, staleAfterMs);
  }
}
