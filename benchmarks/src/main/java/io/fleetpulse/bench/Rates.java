package io.fleetpulse.bench;

import java.util.Arrays;

/** Throughputs of several timed rounds: the median is the figure, min and max its spread. */
record Rates(double[] perSecond) {

  Rates {
    if (perSecond.length == 0) throw new IllegalArgumentException("no rounds measured");
    perSecond = perSecond.clone();
  }

  double median() {
    double[] sorted = perSecond.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  double min() {
    return Arrays.stream(perSecond).min().orElseThrow();
  }

  double max() {
    return Arrays.stream(perSecond).max().orElseThrow();
  }

  /** "13.21 M/s (median of 5; min 12.80, max 13.50)". */
  String describe() {
    return perSecond.length == 1
        ? String.format("%,.2f M/s (1 round)", median() / 1e6)
        : String.format("%,.2f M/s (median of %d; min %,.2f, max %,.2f)", median() / 1e6, perSecond.length,
            min() / 1e6, max() / 1e6);
  }
}
