package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.metrics.ReadingSums;
import java.util.Arrays;

/**
 * Running sums of one UltraServer's samples in one window: UltraServer totals for the metrics ({@link ReadingSums},
 * factors applied when the window fires), and per-chip sums and the power ceiling for the chip-level alerts
 * (stragglers, silent chips, ECC bursts, power caps).
 */
public class UltraServerAccumulator {
  public int ultraserverId = -1;
  public String site;
  public String generation;
  public int workloadId = -1;
  public int workloadKind;
  public long lastEventTime = Long.MIN_VALUE;
  /** The UltraServer's totals, the metrics' input (counted the same way as everywhere else a window is built). */
  public ReadingSums readings = new ReadingSums();
  /** Highest power level seen and how many samples sat within 0.5 W of it: a flat top is a power cap. */
  public double powerCeilingW;
  public long samplesAtCeiling;

  public ChipSlots chips = new ChipSlots();
  public int[] chipSamples = new int[64];
  public double[] chipUtilizationSum = new double[64];
  public double[] chipTimeSeconds = new double[64];
  public double[] chipEnergyJ = new double[64];
  /** Per chip: counter at its first sample, last sample, and the increase in between (resets count from zero). */
  public long[] eccCorrectedFirst = new long[64];
  public long[] eccCorrectedLast = new long[64];
  public long[] eccCorrectedIncrease = new long[64];
  public long[] eccUncorrectedFirst = new long[64];
  public long[] eccUncorrectedLast = new long[64];
  public long[] eccUncorrectedIncrease = new long[64];

  public UltraServerAccumulator() {}

  public void add(ChipReading r) {
    if (ultraserverId < 0) {
      ultraserverId = r.ultraserverId;
      site = r.site;
      generation = r.generation;
    }
    if (r.eventTime >= lastEventTime) {
      lastEventTime = r.eventTime;
      workloadId = r.workloadId;
      workloadKind = r.workloadKind;
    }
    double dt = r.intervalSeconds();
    double joules = r.powerW * dt;
    readings.add(dt, r.utilization, r.hbmUsedGib, r.powerW, r.renewableShare);
    if (r.powerW > powerCeilingW + 0.5) {
      powerCeilingW = r.powerW;
      samplesAtCeiling = 1;
    } else if (r.powerW >= powerCeilingW - 0.5) {
      samplesAtCeiling++;
    }
    addChip(r, dt, joules);
  }

  private void addChip(ChipReading r, double dt, double joules) {
    int slot = chips.slotOf(r.chipId);
    if (slot == chipSamples.length) growChipArrays();
    boolean first = chipSamples[slot] == 0;
    chipSamples[slot]++;
    chipUtilizationSum[slot] += r.utilization;
    chipTimeSeconds[slot] += dt;
    chipEnergyJ[slot] += joules;
    if (first) {
      eccCorrectedFirst[slot] = r.eccCorrectedTotal;
      eccUncorrectedFirst[slot] = r.eccUncorrectedTotal;
    } else {
      eccCorrectedIncrease[slot] += increase(eccCorrectedLast[slot], r.eccCorrectedTotal);
      eccUncorrectedIncrease[slot] += increase(eccUncorrectedLast[slot], r.eccUncorrectedTotal);
    }
    eccCorrectedLast[slot] = r.eccCorrectedTotal;
    eccUncorrectedLast[slot] = r.eccUncorrectedTotal;
  }

  /** Increase of a monotonic counter between two readings; a drop means it was reset to zero in between. */
  public static long increase(long previous, long current) {
    return current >= previous ? current - previous : current;
  }

  private void growChipArrays() {
    int n = chipSamples.length * 2;
    chipSamples = Arrays.copyOf(chipSamples, n);
    chipUtilizationSum = Arrays.copyOf(chipUtilizationSum, n);
    chipTimeSeconds = Arrays.copyOf(chipTimeSeconds, n);
    chipEnergyJ = Arrays.copyOf(chipEnergyJ, n);
    eccCorrectedFirst = Arrays.copyOf(eccCorrectedFirst, n);
    eccCorrectedLast = Arrays.copyOf(eccCorrectedLast, n);
    eccCorrectedIncrease = Arrays.copyOf(eccCorrectedIncrease, n);
    eccUncorrectedFirst = Arrays.copyOf(eccUncorrectedFirst, n);
    eccUncorrectedLast = Arrays.copyOf(eccUncorrectedLast, n);
    eccUncorrectedIncrease = Arrays.copyOf(eccUncorrectedIncrease, n);
  }

  public int chipsReporting() {
    return chips.size();
  }

}
