package io.fleetpulse.jobs.window;

import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.metrics.ReadingSums;
import java.util.Arrays;

/**
 * Running sums of one UltraServer's samples in one window: UltraServer totals for the metrics ({@link ReadingSums},
 * factors applied when the window fires), per-chip sums and the power ceiling for the chip-level alerts (stragglers,
 * silent chips, ECC bursts, power caps), and which interval slots each chip has filled, so each counts once.
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

  /**
   * The distinct (workload_id, tenant label) pairs the window's samples carry, at most {@link #MAX_LABELS}, and how
   * many samples carried each: the window is attributed to the most common one.
   */
  public int labels;
  public int[] labelWorkload = new int[2];
  public String[] labelTenant = new String[2];
  public long[] labelSamples = new long[2];

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

  /**
   * Which interval slots of the window each chip already has a sample for, {@link #wordsPerChip} longs of bits per
   * chip slot: a chip's second sample for a slot is a duplicate and does not count.
   */
  public long[] slotsSeen = new long[64];
  public int wordsPerChip = 1;
  public long windowStart;

  /** Past this many distinct labels in one window, further ones count for attribution no more (hostile input). */
  public static final int MAX_LABELS = 8;

  public UltraServerAccumulator() {}

  /** An accumulator for the window at {@code windowStart}, whose samples are at least {@code minIntervalMs} apart. */
  public static UltraServerAccumulator forWindow(long windowStart, long windowMs, long minIntervalMs) {
    UltraServerAccumulator a = new UltraServerAccumulator();
    a.windowStart = windowStart;
    long slots = Math.max(1, windowMs / minIntervalMs);
    a.wordsPerChip = (int) ((slots + 63) / 64);
    a.slotsSeen = new long[a.chipSamples.length * a.wordsPerChip];
    return a;
  }

  /** Counts a reading, unless its chip has one for that interval already: then returns false (a duplicate). */
  public boolean addOnce(ChipReading r) {
    int chip = chips.slotOf(r.chipId);
    if (chip == chipSamples.length) growChipArrays();
    long slot = (r.eventTime - windowStart) / Math.max(r.intervalMs, 1);
    int word = chip * wordsPerChip + (int) Math.min(slot >>> 6, wordsPerChip - 1);
    long bit = 1L << (slot & 63);
    if ((slotsSeen[word] & bit) != 0) return false;
    slotsSeen[word] |= bit;
    count(chip, r);
    return true;
  }

  /** Counts a reading whatever came before (no duplicate check): for accumulators built by hand in tests. */
  public void add(ChipReading r) {
    int chip = chips.slotOf(r.chipId);
    if (chip == chipSamples.length) growChipArrays();
    count(chip, r);
  }

  private void count(int chip, ChipReading r) {
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
    countLabel(r.workloadId, r.tenant);
    double dt = r.intervalSeconds();
    double joules = r.powerW * dt;
    readings.add(dt, r.utilization, r.hbmUsedGib, r.powerW, r.renewableShare);
    if (r.powerW > powerCeilingW + 0.5) {
      powerCeilingW = r.powerW;
      samplesAtCeiling = 1;
    } else if (r.powerW >= powerCeilingW - 0.5) {
      samplesAtCeiling++;
    }
    addChip(chip, r, dt, joules);
  }

  private void addChip(int slot, ChipReading r, double dt, double joules) {
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

  private void countLabel(int workload, String tenant) {
    for (int i = 0; i < labels; i++) {
      if (labelWorkload[i] == workload && java.util.Objects.equals(labelTenant[i], tenant)) {
        labelSamples[i]++;
        return;
      }
    }
    if (labels == MAX_LABELS) return;
    if (labels == labelWorkload.length) {
      labelWorkload = Arrays.copyOf(labelWorkload, labels * 2);
      labelTenant = Arrays.copyOf(labelTenant, labels * 2);
      labelSamples = Arrays.copyOf(labelSamples, labels * 2);
    }
    labelWorkload[labels] = workload;
    labelTenant[labels] = tenant;
    labelSamples[labels] = 1;
    labels++;
  }

  /**
   * Index of the label most samples carry; a tie goes to the lower workload id, then the lower tenant label, so the
   * answer does not depend on arrival order. -1 for an empty window.
   */
  public int majorityLabel() {
    int best = -1;
    for (int i = 0; i < labels; i++) {
      if (best < 0 || labelSamples[i] > labelSamples[best]
          || labelSamples[i] == labelSamples[best] && before(i, best)) {
        best = i;
      }
    }
    return best;
  }

  private boolean before(int i, int j) {
    if (labelWorkload[i] != labelWorkload[j]) return labelWorkload[i] < labelWorkload[j];
    String a = labelTenant[i];
    String b = labelTenant[j];
    return a == null ? b != null : b != null && a.compareTo(b) < 0;
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
    slotsSeen = Arrays.copyOf(slotsSeen, n * wordsPerChip);
  }

  public int chipsReporting() {
    return chips.size();
  }

}
