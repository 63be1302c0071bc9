package io.fleetpulse.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a set of measurements (in the unit they were taken in). */
public record Percentiles(long[] sorted) {

  public Percentiles {
    sorted = sorted.clone();
    Arrays.sort(sorted);
  }

  public static Percentiles of(Collection<Long> values) {
    return new Percentiles(values.stream().mapToLong(Long::longValue).toArray());
  }

  public int count() {
    return sorted.length;
  }

  /** The q-quantile by nearest rank: the smallest value at or above a share q of the measurements. */
  public long at(double q) {
    if (sorted.length == 0) throw new IllegalStateException("no measurements");
    return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  }

  public long max() {
    return at(1.0);
  }

  /** "p50 812 ms, p95 1,203 ms, p99 1,530 ms, max 1,602 ms (57 windows)", values in milliseconds. */
  public String describeMillis(String what) {
    if (sorted.length == 0) return "no " + what + " measured";
    return String.format("p50 %,d ms, p95 %,d ms, p99 %,d ms, max %,d ms (%d %s)", at(0.50), at(0.95), at(0.99),
        max(), sorted.length, what);
  }
}
