package io.fleetpulse.jobs.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fleetpulse.metrics.ReadingSums;
import io.fleetpulse.metrics.UltraServerFactors;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The grid join with time driven by hand: figures before or after the window, a window that waits, the fallback once
 * the watermark passes the bound, late figures, and the watermark held back by the wait.
 */
class GridIntensityJoinHarnessTest {

  static final long HOUR = 3_600_000L;
  static final long T0 = 1_764_000_000_000L / HOUR * HOUR; // a whole hour
  static final long WAIT = 30_000;
  /** PUE 1.2, annual grid 400, residual 450, grid CFE 0.3, embodied 1e-5 kg per chip-second. */
  static final UltraServerFactors ANNUAL = new UltraServerFactors(1.2, 400, 450, 0.3, 667, 96, 2.235, 1e-5);

  private KeyedTwoInputStreamOperatorTestHarness<String, WindowMetrics, HourlyGrid, WindowMetrics> harness;

  @BeforeEach
  void open() throws Exception {
    harness = new KeyedTwoInputStreamOperatorTestHarness<>(new GridIntensityJoin(WAIT, 0.0048),
        WindowMetrics::getSite, g -> g.site, Types.STRING);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** One UltraServer window at {@code start}: 64 chips at 500 W and 80% for a minute, renewable share 0.25. */
  static WindowMetrics window(String site, long start) {
    ReadingSums r = new ReadingSums();
    for (int i = 0; i < 64 * 6; i++) r.add(10, 0.8, 50, 500, 0.25);
    WindowMetrics m = r.toSums(64, ANNUAL).toWindowMetrics(AggregationLevel.ULTRASERVER, start, start + 60_000, 7,
        site, "trn2", 0.0048, "annual factors");
    return m;
  }

  static HourlyGrid grid(String site, long hour, double location, Double contracted) {
    return new HourlyGrid(site, hour, location, 0.5, 600, contracted == null ? Double.NaN : contracted, "feed X");
  }

  private List<WindowMetrics> out() {
    return harness.extractOutputValues();
  }

  /**
   * What the roll-ups downstream need: every window leaves stamped after every watermark that went before it. A
   * window stamped at or before an earlier watermark finds its roll-up window already fired (an event-time window
   * whose last instant is w fires on watermark w) and is dropped there as late.
   */
  private void assertEveryWindowIsOnTimeDownstream() {
    long watermark = Long.MIN_VALUE;
    for (Object o : harness.getOutput()) {
      if (o instanceof Watermark wm) watermark = Math.max(watermark, wm.getTimestamp());
      if (o instanceof StreamRecord<?> r) {
        assertThat(r.getTimestamp()).as("a window stamped after the watermark already sent").isGreaterThan(watermark);
      }
    }
  }

  @Test
  void figuresThatArrivedFirstPriceTheWindowAtOnce() throws Exception {
    harness.processElement2(new StreamRecord<>(grid("us-in", T0, 300, null)));
    WindowMetrics w = window("us-in", T0 + 120_000);
    harness.processElement1(new StreamRecord<>(w, T0 + 179_999));
    assertThat(out()).hasSize(1);
    WindowMetrics m = out().get(0);
    double fac = w.getFacilityEnergyKwh();
    double residual = w.getResidualFacilityEnergyKwh();
    assertThat(m.getCarbonLocationKg()).isCloseTo(fac * 300 / 1000, offset(1e-12));
    assertThat(m.getGridFactorGPerKwh()).isCloseTo(300, offset(1e-9));
    assertThat(m.getCarbonMarketKg()).isCloseTo(residual * 600 / 1000, offset(1e-12));
    assertThat(m.getResidualFactorGPerKwh()).isCloseTo(600, offset(1e-9));
    // 24/7 CFE: contracted 25% matched, then half of the rest from the grid's carbon-free supply.
    assertThat(m.getCfeShare()).isCloseTo(0.25 + 0.75 * 0.5, offset(1e-12));
    assertThat(m.getHourlyFactorWindows()).isEqualTo(1);
    assertThat(m.getEmbodiedCarbonKg()).isEqualTo(w.getEmbodiedCarbonKg());
    assertThat(m.getUtilizationP50()).isEqualTo(w.getUtilizationP50());
    assertThat(m.getFactorsUsed()).isEqualTo("annual factors; us-in hourly grid intensity (feed X)");
    assertThat(((StreamRecord<?>) harness.getOutput().peek()).getTimestamp()).isEqualTo(T0 + 179_999);
  }

  @Test
  void aWindowWaitsForItsHourAndGoesOutPricedWhenTheFiguresCome() throws Exception {
    harness.processElement1(new StreamRecord<>(window("us-in", T0), T0 + 59_999));
    harness.processBothWatermarks(new Watermark(T0 + 59_999 + WAIT - 1));
    assertThat(out()).isEmpty();
    // Another hour's figures, or another site's, do not release it.
    harness.processElement2(new StreamRecord<>(grid("us-in", T0 + HOUR, 300, null)));
    harness.processElement2(new StreamRecord<>(grid("us-pa", T0, 300, null)));
    assertThat(out()).isEmpty();
    harness.processElement2(new StreamRecord<>(grid("us-in", T0, 350, 1.0)));
    assertThat(out()).hasSize(1);
    WindowMetrics m = out().get(0);
    // The hour's contracted supply covers everything: no market-based emissions, CFE 100%.
    assertThat(m.getCarbonMarketKg()).isZero();
    assertThat(m.getCfeShare()).isEqualTo(1.0);
    assertThat(m.getGridFactorGPerKwh()).isCloseTo(350, offset(1e-9));
    // Nothing more when the bound passes: it already went.
    harness.processBothWatermarks(new Watermark(T0 + 59_999 + WAIT));
    assertThat(out()).hasSize(1);
    assertEveryWindowIsOnTimeDownstream();
  }

  @Test
  void withoutFiguresByTheBoundTheWindowKeepsTheAnnualFactorsAndSaysSo() throws Exception {
    WindowMetrics w = window("us-ms", T0);
    harness.processElement1(new StreamRecord<>(w, T0 + 59_999));
    harness.processBothWatermarks(new Watermark(T0 + 59_999 + WAIT - 1));
    assertThat(out()).isEmpty();
    harness.processBothWatermarks(new Watermark(T0 + 59_999 + WAIT));
    assertThat(out()).hasSize(1);
    WindowMetrics m = out().get(0);
    assertThat(m.getCarbonLocationKg()).isEqualTo(w.getCarbonLocationKg());
    assertThat(m.getGridFactorGPerKwh()).isCloseTo(400, offset(1e-9));
    assertThat(m.getResidualFactorGPerKwh()).isCloseTo(450, offset(1e-9));
    assertThat(m.getHourlyFactorWindows()).isZero();
    assertThat(m.getFactorsUsed())
        .isEqualTo("annual factors; us-ms annual grid factors as fallback (no hourly intensity by window end + 30 s)");
    assertEveryWindowIsOnTimeDownstream();
  }

  @Test
  void aWindowWhoseWatermarkStopsShortOfTheBoundFallsBackByTheWallClock() throws Exception {
    // The last window of a run: the watermark stops at the run's end and never passes end + wait before a drain.
    harness.setProcessingTime(1_000);
    WindowMetrics w = window("us-ms", T0);
    harness.processElement1(new StreamRecord<>(w, T0 + 59_999));
    harness.processBothWatermarks(new Watermark(T0 + 59_999));
    harness.setProcessingTime(1_000 + WAIT - 1);
    assertThat(out()).isEmpty();
    harness.setProcessingTime(1_000 + WAIT);
    assertThat(out()).hasSize(1);
    assertThat(out().get(0).getHourlyFactorWindows()).isZero();
    assertThat(out().get(0).getCarbonLocationKg()).isEqualTo(w.getCarbonLocationKg());
    // Released, the held watermark goes on at once: no other may come after a run's last window, and without it
    // that window's roll-ups would never close.
    assertThat(harness.getOutput()).last().isInstanceOfSatisfying(Watermark.class,
        wm -> assertThat(wm.getTimestamp()).isEqualTo(T0 + 59_999));
    harness.processBothWatermarks(new Watermark(T0 + 60_500));
    assertThat(harness.getOutput()).anyMatch(o -> o instanceof Watermark wm && wm.getTimestamp() == T0 + 60_500);
    assertEveryWindowIsOnTimeDownstream();
  }

  @Test
  void lateFiguresChangeNothingAlreadyDecidedButPriceAReEmittedWindow() throws Exception {
    harness.processElement1(new StreamRecord<>(window("us-in", T0), T0 + 59_999));
    harness.processBothWatermarks(new Watermark(T0 + HOUR + WAIT));
    assertThat(out()).hasSize(1);
    harness.processElement2(new StreamRecord<>(grid("us-in", T0, 300, null)));
    assertThat(out()).hasSize(1);
    // A window re-emitted within the allowed lateness finds them.
    harness.processElement1(new StreamRecord<>(window("us-in", T0 + 60_000), T0 + 119_999));
    assertThat(out()).hasSize(2);
    assertThat(out().get(1).getHourlyFactorWindows()).isEqualTo(1);
  }

  @Test
  void theWatermarkIsHeldAtAWaitingWindowOnlyWhileItWaitsSoItIsNotLateDownstream() throws Exception {
    harness.processWatermark1(new Watermark(T0 + 50_000));
    harness.processElement1(new StreamRecord<>(window("us-in", T0), T0 + 59_999));
    harness.processWatermark1(new Watermark(T0 + 70_000));
    harness.processElement2(new StreamRecord<>(grid("us-in", T0, 300, null)));
    harness.processWatermark1(new Watermark(T0 + 80_000));
    List<Object> emitted = List.copyOf(harness.getOutput());
    assertThat(emitted).hasSize(5);
    assertThat(((Watermark) emitted.get(0)).getTimestamp()).isEqualTo(T0 + 50_000);
    assertThat(((Watermark) emitted.get(1)).getTimestamp()).as("held one short of the window").isEqualTo(T0 + 59_998);
    assertThat(((StreamRecord<?>) emitted.get(2)).getTimestamp()).isEqualTo(T0 + 59_999);
    assertThat(((Watermark) emitted.get(3)).getTimestamp()).as("released with the figures").isEqualTo(T0 + 70_000);
    assertThat(((Watermark) emitted.get(4)).getTimestamp()).isEqualTo(T0 + 80_000);
    assertEveryWindowIsOnTimeDownstream();
  }

  @Test
  void aWindowWaitingAtACheckpointIsStillHeldAndFallsBackAfterARestore() throws Exception {
    harness.processWatermark1(new Watermark(T0 + 50_000));
    harness.processElement1(new StreamRecord<>(window("us-in", T0), T0 + 59_999));
    var snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = new KeyedTwoInputStreamOperatorTestHarness<>(new GridIntensityJoin(WAIT, 0.0048),
        WindowMetrics::getSite, g -> g.site, Types.STRING);
    harness.initializeState(snapshot);
    harness.open();
    harness.processWatermark1(new Watermark(T0 + 70_000));
    assertThat(harness.getOutput()).hasSize(1);
    assertThat(((Watermark) harness.getOutput().peek()).getTimestamp()).isEqualTo(T0 + 59_998);
    harness.processWatermark1(new Watermark(T0 + 59_999 + WAIT));
    assertThat(out()).hasSize(1);
    assertThat(out().get(0).getFactorsUsed()).contains("fallback");
    assertEveryWindowIsOnTimeDownstream();
  }

  @Test
  void figuresAreDroppedAnHourAfterTheirWindowsWereDecided() throws Exception {
    harness.processElement2(new StreamRecord<>(grid("us-in", T0, 300, null)));
    assertThat(harness.numKeyedStateEntries()).isPositive();
    harness.processBothWatermarks(new Watermark(T0 + HOUR - 1 + WAIT + HOUR));
    assertThat(harness.numKeyedStateEntries()).isZero();
  }
}
