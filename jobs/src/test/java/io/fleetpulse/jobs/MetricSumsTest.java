package io.fleetpulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.window.UltraServerAccumulator;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.metrics.UltraServerFactors;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import org.junit.jupiter.api.Test;

/** The metric formulas of docs/design.md §3 on numbers small enough to check by hand. */
public class MetricSumsTest {

  /** PUE 1.2, 400 g/kWh; 667 TFLOPS, 96 GiB, $2.235 per chip-hour. */
  static final UltraServerFactors FACTORS = new UltraServerFactors(1.2, 400, 667, 96, 2.235);

  static MetricSums sums(UltraServerAccumulator a) {
    return a.readings.toSums(a.chipsReporting(), FACTORS);
  }

  public static ChipReading reading(int chip, double utilization, double powerW, double renewable, double hbm) {
    ChipReading r = new ChipReading();
    r.chipId = chip;
    r.ultraserverId = 0;
    r.site = "s";
    r.generation = "trn2";
    r.intervalMs = 10_000;
    r.utilization = utilization;
    r.powerW = powerW;
    r.renewableShare = renewable;
    r.hbmUsedGib = hbm;
    return r;
  }

  /** Two chips, one busy and one idle, two samples each: 10 s apiece. */
  static UltraServerAccumulator twoChips() {
    UltraServerAccumulator a = new UltraServerAccumulator();
    a.add(reading(1, 0.9, 450, 0.25, 80));
    a.add(reading(1, 0.7, 350, 0.25, 80));
    a.add(reading(2, 0.0, 150, 0.5, 1));
    a.add(reading(2, 0.02, 160, 0.5, 1));
    return a;
  }

  @Test
  void ultraServerMetricsByHand() {
    WindowMetrics m = sums(twoChips())
        .toWindowMetrics(AggregationLevel.ULTRASERVER, 0, 60_000, 0, "s", "trn2", 0.005);
    assertThat(m.getSamples()).isEqualTo(4);
    assertThat(m.getChipsReporting()).isEqualTo(2);
    assertThat(m.getChipSeconds()).isEqualTo(40);
    assertThat(m.getUtilizationAvg()).isCloseTo(1.62 / 4, offset(1e-12));
    assertThat(m.getHbmUtil()).isCloseTo(162.0 / (4 * 96), offset(1e-12));
    assertThat(m.getPowerAvgW()).isCloseTo(1110.0 / 4, offset(1e-12));
    assertThat(m.getPowerMaxW()).isEqualTo(450);
    // (450 + 350 + 150 + 160) W * 10 s = 11,100 J = 0.0030833 kWh
    double itKwh = 11_100 / 3.6e6;
    assertThat(m.getItEnergyKwh()).isCloseTo(itKwh, offset(1e-15));
    assertThat(m.getFacilityEnergyKwh()).isCloseTo(itKwh * 1.2, offset(1e-15));
    assertThat(m.getPue()).isCloseTo(1.2, offset(1e-12));
    // Idle: the two samples under 5% utilization, 1,500 + 1,600 J.
    assertThat(m.getIdleSamples()).isEqualTo(2);
    assertThat(m.getIdleEnergyKwh()).isCloseTo(3_100 / 3.6e6, offset(1e-15));
    // (0.9 + 0.7 + 0 + 0.02) * 667 TFLOPS * 10 s = 10,805.4 TFLOP = 10.8054 PFLOP
    assertThat(m.getDeliveredPflop()).isCloseTo(10.8054, offset(1e-9));
    assertThat(m.getEfficiencyTflopsPerW()).isCloseTo(10_805.4 / 11_100, offset(1e-12));
    assertThat(m.getCarbonLocationKg()).isCloseTo(itKwh * 1.2 * 400 / 1000, offset(1e-15));
    // Market-based: renewable shares 0.25 on chip 1 and 0.5 on chip 2.
    double residualKwh = (800 * 10 * 0.75 + 310 * 10 * 0.5) / 3.6e6 * 1.2;
    assertThat(m.getResidualFacilityEnergyKwh()).isCloseTo(residualKwh, offset(1e-15));
    assertThat(m.getCarbonMarketKg()).isCloseTo(residualKwh * 400 / 1000, offset(1e-15));
    assertThat(m.getGridFactorGPerKwh()).isCloseTo(400, offset(1e-9));
    assertThat(m.getCarbonLocationGPerPflop()).isCloseTo(itKwh * 1.2 * 400 / 10.8054, offset(1e-9));
    // 40 chip-seconds at $2.235 per chip-hour
    double cost = 40 / 3600.0 * 2.235;
    assertThat(m.getCostUsd()).isCloseTo(cost, offset(1e-15));
    assertThat(m.getUsdPerPflop()).isCloseTo(cost / 10.8054, offset(1e-15));
    assertThat(m.getPricePerfVsGpu()).isCloseTo(0.005 / (cost / 10.8054) - 1, offset(1e-9));
  }

  @Test
  void nothingDeliveredGivesUndefinedRatiosNotZeroOrInfinity() {
    UltraServerAccumulator idle = new UltraServerAccumulator();
    idle.add(reading(1, 0.0, 150, 0, 1));
    WindowMetrics m = sums(idle)
        .toWindowMetrics(AggregationLevel.ULTRASERVER, 0, 60_000, 0, "s", "trn2", 0.005);
    assertThat(m.getDeliveredPflop()).isZero();
    assertThat(m.getUsdPerPflop()).isNaN();
    assertThat(m.getCarbonLocationGPerPflop()).isNaN();
    assertThat(m.getCostUsd()).isPositive();
  }

  @Test
  void rollUpOfEmittedWindowsEqualsTheSumsAndRatiosOfTheUnion() {
    UltraServerAccumulator a = twoChips();
    UltraServerAccumulator b = new UltraServerAccumulator();
    b.add(reading(3, 0.5, 300, 0.1, 50));
    MetricSums sa = sums(a);
    MetricSums sb = sums(b);
    WindowMetrics wa = sa.toWindowMetrics(AggregationLevel.ULTRASERVER, 0, 60_000, 0, "s", "trn2", 0.005);
    WindowMetrics wb = sb.toWindowMetrics(AggregationLevel.ULTRASERVER, 0, 60_000, 1, "s", "trn2", 0.005);
    WindowMetrics rolled = MetricSums.of(wa).add(MetricSums.of(wb))
        .toWindowMetrics(AggregationLevel.SITE, 0, 60_000, null, "s", null, 0.005);
    UltraServerAccumulator union = twoChips();
    union.add(reading(3, 0.5, 300, 0.1, 50));
    WindowMetrics direct = sums(union)
        .toWindowMetrics(AggregationLevel.SITE, 0, 60_000, null, "s", null, 0.005);
    assertThat(rolled.getUltraservers()).isEqualTo(2);
    assertThat(rolled.getSamples()).isEqualTo(direct.getSamples());
    assertThat(rolled.getChipsReporting()).isEqualTo(3);
    assertThat(rolled.getItEnergyKwh()).isCloseTo(direct.getItEnergyKwh(), offset(1e-15));
    assertThat(rolled.getCarbonMarketKg()).isCloseTo(direct.getCarbonMarketKg(), offset(1e-15));
    assertThat(rolled.getUsdPerPflop()).isCloseTo(direct.getUsdPerPflop(), offset(1e-15));
    assertThat(rolled.getUtilizationP50()).isEqualTo(direct.getUtilizationP50());
    assertThat(rolled.getPowerMaxW()).isEqualTo(450);
  }
}
