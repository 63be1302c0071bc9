package io.fleetpulse.jobs.window;

import io.fleetpulse.metrics.MetricSums;
import java.util.Arrays;

/**
 * One UltraServer's window seen chip by chip: what the chip-level alert detectors need (who reported, how busy each
 * chip was, how its ECC counters moved), plus the UltraServer's own cost, energy and carbon for pricing waste. One
 * record per UltraServer per window, side output of the window operator: chip-level detection without a
 * per-chip stream.
 */
public class ChipWindowStats {
  public int ultraserverId;
  public String site;
  public String generation;
  public int workloadId;
  /** Ordinal of WorkloadKind at the end of the window. */
  public int workloadKind;
  public long windowStart;
  public long windowEnd;

  public int[] chipIds;
  public int[] samples;
  public double[] utilizationAvg;
  public double[] chipSeconds;
  public double[] energyJ;
  public long[] eccCorrectedFirst;
  public long[] eccCorrectedLast;
  public long[] eccCorrectedIncrease;
  public long[] eccUncorrectedFirst;
  public long[] eccUncorrectedLast;
  public long[] eccUncorrectedIncrease;

  public double utilizationAvgAll;
  public double hbmUtil;
  public double powerCeilingW;
  /** Share of samples within 0.5 W of the ceiling. */
  public double ceilingShare;
  public double costUsd;
  public double facilityEnergyKwh;
  public double carbonLocationKg;

  public ChipWindowStats() {}

  static ChipWindowStats of(UltraServerAccumulator a, long windowStart, long windowEnd, MetricSums sums) {
    int n = a.chipsReporting();
    ChipWindowStats s = new ChipWindowStats();
    s.ultraserverId = a.ultraserverId;
    s.site = a.site;
    s.generation = a.generation;
    s.workloadId = a.workloadId;
    s.workloadKind = a.workloadKind;
    s.windowStart = windowStart;
    s.windowEnd = windowEnd;
    s.chipIds = Arrays.copyOf(a.chips.chips, n);
    s.samples = Arrays.copyOf(a.chipSamples, n);
    s.utilizationAvg = new double[n];
    for (int i = 0; i < n; i++) s.utilizationAvg[i] = a.chipUtilizationSum[i] / a.chipSamples[i];
    s.chipSeconds = Arrays.copyOf(a.chipTimeSeconds, n);
    s.energyJ = Arrays.copyOf(a.chipEnergyJ, n);
    s.eccCorrectedFirst = Arrays.copyOf(a.eccCorrectedFirst, n);
    s.eccCorrectedLast = Arrays.copyOf(a.eccCorrectedLast, n);
    s.eccCorrectedIncrease = Arrays.copyOf(a.eccCorrectedIncrease, n);
    s.eccUncorrectedFirst = Arrays.copyOf(a.eccUncorrectedFirst, n);
    s.eccUncorrectedLast = Arrays.copyOf(a.eccUncorrectedLast, n);
    s.eccUncorrectedIncrease = Arrays.copyOf(a.eccUncorrectedIncrease, n);
    s.utilizationAvgAll = sums.utilizationSum / sums.samples;
    s.hbmUtil = sums.hbmUsedSumGib / sums.hbmCapacitySumGib;
    s.powerCeilingW = a.powerCeilingW;
    s.ceilingShare = a.samplesAtCeiling / (double) a.readings.samples;
    s.costUsd = sums.costUsd;
    s.facilityEnergyKwh = sums.facilityEnergyKwh;
    s.carbonLocationKg = sums.carbonLocationKg;
    return s;
  }

  public int chips() {
    return chipIds.length;
  }

  public long windowMs() {
    return windowEnd - windowStart;
  }
}
