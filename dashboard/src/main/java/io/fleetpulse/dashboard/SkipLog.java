package io.fleetpulse.dashboard;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log that records were skipped, at a bounded rate: anyone can fill a topic with junk, and a line
 * per record would fill the disk too. Per reason, the first {@link #FIRST} are logged one by one; after that one
 * line every {@link #EVERY_NANOS} at most, saying how many went unlogged since. Not thread-safe: the Kafka
 * thread's.
 */
final class SkipLog {

  static final int FIRST = 10;
  static final long EVERY_NANOS = 30_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(KafkaFeed.class);

  /** Where the lines go. */
  interface Sink {
    void log(SkipReason reason, String line, Throwable cause);
  }

  private final Sink sink;
  private final LongSupplier nanos;
  private final long[] logged = new long[SkipReason.values().length];
  private final long[] unlogged = new long[SkipReason.values().length];
  private final long[] lastAt = new long[SkipReason.values().length];

  SkipLog() {
    this(SkipLog::toSlf4j, System::nanoTime);
  }

  SkipLog(Sink sink, LongSupplier nanos) {
    this.sink = sink;
    this.nanos = nanos;
  }

  /** @param total how many records have been skipped for this reason, this one included */
  void skipped(SkipReason reason, long total, String where, String message, Throwable cause) {
    int i = reason.ordinal();
    long now = nanos.getAsLong();
    if (logged[i] >= FIRST && now - lastAt[i] < EVERY_NANOS) {
      unlogged[i]++;
      return;
    }
    String since = unlogged[i] == 0 ? "" : String.format(" (and %,d more since the last line)", unlogged[i]);
    sink.log(reason, String.format("skipped record %s: %s: %s; %,d skipped as %s so far%s", where, reason.key(),
        message, total, reason.key(), since), cause);
    logged[i]++;
    unlogged[i] = 0;
    lastAt[i] = now;
  }

  private static void toSlf4j(SkipReason reason, String line, Throwable cause) {
    switch (reason) {
      // Redelivery is what at-least-once does after a job restart: worth a note, not a warning.
      case DUPLICATE -> LOG.info(line);
      case INTERNAL -> LOG.error(line, cause);
      default -> LOG.warn(line);
    }
  }
}
