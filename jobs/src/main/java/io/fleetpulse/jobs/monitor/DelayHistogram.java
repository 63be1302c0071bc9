package io.fleetpulse.jobs.monitor;

import java.util.Arrays;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;

/**
 * A Flink {@link Histogram} of delays, fed milliseconds and reporting seconds: the last {@link #SIZE} values, as
 * Prometheus wants a base unit (Flink's Prometheus reporter turns a histogram into a summary of its quantiles and
 * count). Quantiles, mean and standard deviation are in seconds with millisecond resolution; min, max and
 * {@link HistogramStatistics#getValues} are whole seconds (rounded), as {@link HistogramStatistics} keeps them as longs.
 *
 * <p>One update per window emitted, not per sample: a short critical section on the task thread; the reporter's
 * thread takes the same lock to copy the values when it is scraped.
 */
public final class DelayHistogram implements Histogram {

  /** Values kept: the last this many windows (about 1/15 of a minute's UltraServer windows at 1M chips). */
  static final int SIZE = 1024;

  private final long[] millis = new long[SIZE];
  private long count;

  @Override
  public synchronized void update(long delayMillis) {
    millis[(int) (count % SIZE)] = delayMillis;
    count++;
  }

  @Override
  public synchronized long getCount() {
    return count;
  }

  @Override
  public HistogramStatistics getStatistics() {
    long[] values;
    synchronized (this) {
      values = Arrays.copyOf(millis, (int) Math.min(count, SIZE));
    }
    Arrays.sort(values);
    return new Seconds(values);
  }

  /** Statistics of sorted millisecond values, in seconds. */
  static final class Seconds extends HistogramStatistics {
    private final long[] sorted;

    Seconds(long[] sorted) {
      this.sorted = sorted;
    }

    /** Linear interpolation between the closest ranks (type 7, as R and NumPy default); NaN when empty. */
    @Override
    public double getQuantile(double quantile) {
      if (sorted.length == 0) return Double.NaN;
      double rank = Math.max(0, Math.min(1, quantile)) * (sorted.length - 1);
      int below = (int) Math.floor(rank);
      int above = Math.min(below + 1, sorted.length - 1);
      return (sorted[below] + (rank - below) * (sorted[above] - sorted[below])) / 1000.0;
    }

    @Override
    public long[] getValues() {
      return Arrays.stream(sorted).map(ms -> Math.round(ms / 1000.0)).toArray();
    }

    @Override
    public int size() {
      return sorted.length;
    }

    @Override
    public double getMean() {
      return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElseThrow() / 1000.0;
    }

    @Override
    public double getStdDev() {
      if (sorted.length < 2) return 0;
      double mean = Arrays.stream(sorted).average().orElseThrow();
      double sq = Arrays.stream(sorted).mapToDouble(v -> (v - mean) * (v - mean)).sum();
      return Math.sqrt(sq / (sorted.length - 1)) / 1000.0;
    }

    @Override
    public long getMax() {
      return sorted.length == 0 ? 0 : Math.round(sorted[sorted.length - 1] / 1000.0);
    }

    @Override
    public long getMin() {
      return sorted.length == 0 ? 0 : Math.round(sorted[0] / 1000.0);
    }
  }
}
