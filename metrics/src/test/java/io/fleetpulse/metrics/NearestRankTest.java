package io.fleetpulse.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quantiles by selection against the definition: sort, then take the value at rank ceil(q * n). */
class NearestRankTest {

  private static double bySorting(float[] values, int n, double q) {
    float[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(q * n) - 1)];
  }

  @Test
  void selectionFindsTheValueAtEachNearestRank() {
    Random rnd = new Random(42);
    double[] qs = {0.50, 0.95, 0.99};
    for (int trial = 0; trial < 2_000; trial++) {
      int n = 1 + rnd.nextInt(trial % 3 == 0 ? 8 : 500);
      float[] values = new float[n + 3]; // longer than n: only the first n count
      int kind = trial % 4;
      for (int i = 0; i < values.length; i++) {
        values[i] = switch (kind) {
          case 0 -> rnd.nextFloat();
          case 1 -> (float) rnd.nextInt(4) / 4; // many ties, as idle chips give
          case 2 -> (float) i / values.length; // already sorted
          default -> 0.5f; // all equal
        };
      }
      float[] before = values.clone();
      double[] got = MetricSums.nearestRank(values, n, qs);
      for (int q = 0; q < qs.length; q++) {
        assertThat(got[q]).as("trial %d, n %d, q %s", trial, n, qs[q]).isEqualTo(bySorting(before, n, qs[q]));
      }
      assertThat(values).as("the caller's values are left as they were").isEqualTo(before);
    }
  }

  @Test
  void ranksInAnyOrderAndNoValues() {
    float[] values = {5, 1, 4, 2, 3};
    assertThat(MetricSums.nearestRank(values, 5, 0.99, 0.2, 0.5)).containsExactly(5, 1, 3);
    assertThat(MetricSums.nearestRank(values, 0, 0.5)[0]).isNaN();
  }
}
