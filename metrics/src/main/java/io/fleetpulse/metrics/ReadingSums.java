package io.fleetpulse.metrics;

import java.util.Arrays;
import org.apache.datasketches.kll.KllFloatsSketch;

/**
 * Running sums of one UltraServer's readings in one window, before any factor is applied: the metrics job's window
 * accumulator holds one, and the dashboard's modelled fixture fills one from the fleet model, so a reading is
 * counted one way everywhere. Every factor (peak, PUE, grid, price) is applied once, in {@link #toSums}, which is
 * exact because an UltraServer sits in one site and holds one chip generation.
 */
public class ReadingSums {

  /** Below this utilization a sample counts as idle (docs/metrics.md). */
  public static final double IDLE_UTILIZATION = 0.05;

  public long samples;
  /** sum(dt), s. */
  public double chipSeconds;
  public double utilizationSum;
  /** sum(utilization * dt), s: delivered work in peak-seconds. */
  public double busySeconds;
  public double hbmUsedSumGib;
  public double powerSumW;
  public double powerMaxW;
  /** sum(power * dt), J. */
  public double energyJ;
  /** sum(power * dt * (1 - renewable_share)), J. */
  public double residualEnergyJ;
  public long idleSamples;
  public double idleEnergyJ;
  /** sum(dt) of the idle samples, s: chip time paid for with no work done. */
  public double idleChipSeconds;
  /** The raw utilizations, for exact quantiles and the sketch, built once when the window closes. */
  public float[] utilizations = new float[64];
  public int utilizationCount;

  public ReadingSums() {}

  public void add(double dtSeconds, double utilization, double hbmUsedGib, double powerW, double renewableShare) {
    double joules = powerW * dtSeconds;
    samples++;
    chipSeconds += dtSeconds;
    utilizationSum += utilization;
    busySeconds += utilization * dtSeconds;
    hbmUsedSumGib += hbmUsedGib;
    powerSumW += powerW;
    powerMaxW = Math.max(powerMaxW, powerW);
    energyJ += joules;
    residualEnergyJ += joules * (1 - renewableShare);
    if (utilization < IDLE_UTILIZATION) {
      idleSamples++;
      idleEnergyJ += joules;
      idleChipSeconds += dtSeconds;
    }
    if (utilizationCount == utilizations.length) {
      utilizations = Arrays.copyOf(utilizations, utilizations.length * 2);
    }
    utilizations[utilizationCount++] = (float) utilization;
  }

  /**
   * The window's sums with the UltraServer's factors applied, and the exact quantiles of its utilizations. Every
   * ratio is then derived by {@link MetricSums#toWindowMetrics}.
   */
  public MetricSums toSums(int chipsReporting, UltraServerFactors f) {
    MetricSums s = new MetricSums();
    s.ultraservers = 1;
    s.samples = samples;
    s.chipsReporting = chipsReporting;
    s.chipSeconds = chipSeconds;
    s.utilizationSum = utilizationSum;
    s.hbmUsedSumGib = hbmUsedSumGib;
    s.hbmCapacitySumGib = samples * f.hbmGib();
    s.powerSumW = powerSumW;
    s.powerMaxW = powerMaxW;
    s.itEnergyKwh = energyJ / 3.6e6;
    s.facilityEnergyKwh = s.itEnergyKwh * f.pue();
    s.residualFacilityEnergyKwh = residualEnergyJ / 3.6e6 * f.pue();
    s.idleSamples = idleSamples;
    s.idleEnergyKwh = idleEnergyJ / 3.6e6;
    s.idleCostUsd = idleChipSeconds / 3600.0 * f.pricePerChipHourUsd();
    s.deliveredPflop = busySeconds * f.peakTflops() / 1000.0;
    s.carbonLocationKg = s.facilityEnergyKwh * f.gridFactorGPerKwh() / 1000.0;
    s.carbonMarketKg = s.residualFacilityEnergyKwh * f.residualGPerKwh() / 1000.0;
    s.gridCfeEnergyKwh = s.residualFacilityEnergyKwh * f.gridCfeShare();
    s.embodiedCarbonKg = chipSeconds * f.embodiedKgPerChipSecond();
    s.costUsd = chipSeconds / 3600.0 * f.pricePerChipHourUsd();
    KllFloatsSketch sketch = KllFloatsSketch.newHeapInstance(MetricSums.SKETCH_K);
    for (int i = 0; i < utilizationCount; i++) sketch.update(utilizations[i]);
    s.utilizationSketch = sketch.toByteArray();
    s.exactQuantiles = MetricSums.nearestRank(utilizations, utilizationCount, 0.50, 0.95, 0.99);
    return s;
  }
}
