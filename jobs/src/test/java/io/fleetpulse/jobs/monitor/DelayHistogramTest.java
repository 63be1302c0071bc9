package io.fleetpulse.jobs.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.HistogramStatistics;
import org.junit.jupiter.api.Test;

class DelayHistogramTest {

  @Test
  void takesMillisecondsAndReportsSeconds() {
    DelayHistogram h = new DelayHistogram();
    assertThat(h.getStatistics().getQuantile(0.5)).isNaN();
    for (long ms : new long[] {4_000, 1_000, 3_000, 2_000, 5_500}) h.update(ms);
    HistogramStatistics s = h.getStatistics();
    assertThat(h.getCount()).isEqualTo(5);
    assertThat(s.size()).isEqualTo(5);
    assertThat(s.getQuantile(0.5)).isEqualTo(3.0);
    assertThat(s.getQuantile(0)).isEqualTo(1.0);
    assertThat(s.getQuantile(1)).isEqualTo(5.5);
    // Between ranks 3 and 4 (4.0 s and 5.5 s), a quarter of the way.
    assertThat(s.getQuantile(0.8125)).isEqualTo(4.375);
    assertThat(s.getMean()).isEqualTo(3.1);
    assertThat(s.getMin()).isEqualTo(1);
    assertThat(s.getMax()).isEqualTo(6);
  }

  @Test
  void keepsTheLastValuesOnlyButCountsThemAll() {
    DelayHistogram h = new DelayHistogram();
    for (int i = 0; i < DelayHistogram.SIZE; i++) h.update(60_000);
    for (int i = 0; i < DelayHistogram.SIZE; i++) h.update(2_000);
    assertThat(h.getCount()).isEqualTo(2L * DelayHistogram.SIZE);
    assertThat(h.getStatistics().size()).isEqualTo(DelayHistogram.SIZE);
    assertThat(h.getStatistics().getQuantile(0.99)).isEqualTo(2.0);
  }
}
