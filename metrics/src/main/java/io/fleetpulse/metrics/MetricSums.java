package io.fleetpulse.metrics;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The additive part of a window's metrics: counts, sums, maxima and the utilization sketch. Every level is built
 * the same way: an UltraServer's sums come from its readings and the factors; a site's, a generation's or the
 * fleet's are the sum of UltraServer sums (never raw samples). {@link #toWindowMetrics} then derives every ratio
 * from the sums in one place, so all levels share one definition of each metric (docs/design.md §3).
 *
 * <p>It lives beside the schema, not in the Flink job, so that everything that builds a {@link WindowMetrics}
 * (the job, and the dashboard's modelled fixture) derives it by this one definition.
 */
public class MetricSums {

  /** KLL accuracy parameter: about 1.3% normalized rank error, a few KiB per sketch. */
  public static final int SKETCH_K = 200;

  public int ultraservers;
  public long samples;
  public int chipsReporting;
  public double chipSeconds;
  public double utilizationSum;
  public double hbmUsedSumGib;
  public double hbmCapacitySumGib;
  public double powerSumW;
  public double powerMaxW;
  public double itEnergyKwh;
  public double facilityEnergyKwh;
  public double residualFacilityEnergyKwh;
  public long idleSamples;
  public double idleEnergyKwh;
  public double idleCostUsd;
  public double deliveredPflop;
  public double carbonLocationKg;
  public double carbonMarketKg;
  public double costUsd;
  public double gridCfeEnergyKwh;
  public double embodiedCarbonKg;
  public int hourlyFactorWindows;
  public byte[] utilizationSketch;
  /**
   * p50, p95, p99 computed exactly (nearest rank) where the raw values are at hand, the UltraServer level; null above
   * it, where they come from the merged sketch. Exact values are also deterministic: KLL compaction is randomized.
   */
  public double[] exactQuantiles;
  public String factorsUsed = "";

  public MetricSums() {}

  /** The sums inside an emitted window, to roll it up further. */
  public static MetricSums of(WindowMetrics m) {
    MetricSums s = countsAndSumsOf(m);
    s.factorsUsed = m.getFactorsUsed();
    ByteBuffer b = m.getUtilizationSketch().duplicate();
    s.utilizationSketch = new byte[b.remaining()];
    b.get(s.utilizationSketch);
    return s;
  }

  /**
   * An emitted window's counts and sums only, without its sketch and factors_used: for a reader that merges
   * sketches its own way (the dashboard, which must survive a corrupt one from Kafka).
   */
  public static MetricSums countsAndSumsOf(WindowMetrics m) {
    MetricSums s = new MetricSums();
    s.ultraservers = m.getUltraservers();
    s.samples = m.getSamples();
    s.chipsReporting = m.getChipsReporting();
    s.chipSeconds = m.getChipSeconds();
    s.utilizationSum = m.getUtilizationSum();
    s.hbmUsedSumGib = m.getHbmUsedSumGib();
    s.hbmCapacitySumGib = m.getHbmCapacitySumGib();
    s.powerSumW = m.getPowerSumW();
    s.powerMaxW = m.getPowerMaxW();
    s.itEnergyKwh = m.getItEnergyKwh();
    s.facilityEnergyKwh = m.getFacilityEnergyKwh();
    s.residualFacilityEnergyKwh = m.getResidualFacilityEnergyKwh();
    s.idleSamples = m.getIdleSamples();
    s.idleEnergyKwh = m.getIdleEnergyKwh();
    s.idleCostUsd = m.getIdleCostUsd();
    s.deliveredPflop = m.getDeliveredPflop();
    s.carbonLocationKg = m.getCarbonLocationKg();
    s.carbonMarketKg = m.getCarbonMarketKg();
    s.costUsd = m.getCostUsd();
    s.gridCfeEnergyKwh = m.getGridCfeEnergyKwh();
    s.embodiedCarbonKg = m.getEmbodiedCarbonKg();
    s.hourlyFactorWindows = m.getHourlyFactorWindows();
    return s;
  }

  /**
   * The smallest value with at least q of the values at or below it, for each q. By selection, not a sort: each
   * UltraServer window asks for three ranks of a few hundred values when it closes, the moment the whole fleet
   * closes at once, and selecting them is a third of the cost of sorting.
   */
  public static double[] nearestRank(float[] values, int n, double... qs) {
    double[] out = new double[qs.length];
    if (n == 0) {
      java.util.Arrays.fill(out, Double.NaN);
      return out;
    }
    float[] a = java.util.Arrays.copyOf(values, n);
    int lo = 0;
    int previous = -1;
    for (int i = 0; i < qs.length; i++) {
      int rank = Math.min(n - 1, Math.max(0, (int) Math.ceil(qs[i] * n) - 1));
      // After selecting a rank, everything above it is at least as large: a higher rank is found above it.
      if (rank < previous) lo = 0;
      out[i] = select(a, lo, n - 1, rank);
      lo = rank;
      previous = rank;
    }
    return out;
  }

  /** Hoare's quickselect: the value of rank k in a[lo..hi], leaving a partitioned around it. */
  private static float select(float[] a, int lo, int hi, int k) {
    while (hi > lo) {
      int mid = (lo + hi) >>> 1;
      // Median of three as the pivot: sorted or constant runs (idle chips) stay linear.
      if (a[mid] < a[lo]) swap(a, mid, lo);
      if (a[hi] < a[lo]) swap(a, hi, lo);
      if (a[hi] < a[mid]) swap(a, hi, mid);
      float pivot = a[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) swap(a, i++, j--);
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return a[k];
    }
    return a[k];
  }

  private static void swap(float[] a, int i, int j) {
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /** Adds another group's sums (disjoint chips) to these; the sketches merge. */
  public MetricSums add(MetricSums o) {
    addCountsAndSums(o);
    factorsUsed = FactorsUsed.union(factorsUsed, o.factorsUsed);
    if (utilizationSketch == null) {
      utilizationSketch = o.utilizationSketch;
    } else if (o.utilizationSketch != null) {
      KllFloatsSketch merged = KllFloatsSketch.heapify(Memory.wrap(utilizationSketch));
      merged.merge(KllFloatsSketch.wrap(Memory.wrap(o.utilizationSketch)));
      utilizationSketch = merged.toByteArray();
    }
    return this;
  }

  /**
   * Adds another group's counts, sums and maxima, but not its sketch or factors: for a caller that merges many
   * sketches into one it keeps (a roll-up of thousands of UltraServers), instead of one merge and copy per add.
   */
  public MetricSums addCountsAndSums(MetricSums o) {
    exactQuantiles = null;
    ultraservers += o.ultraservers;
    samples += o.samples;
    chipsReporting += o.chipsReporting;
    chipSeconds += o.chipSeconds;
    utilizationSum += o.utilizationSum;
    hbmUsedSumGib += o.hbmUsedSumGib;
    hbmCapacitySumGib += o.hbmCapacitySumGib;
    powerSumW += o.powerSumW;
    powerMaxW = Math.max(powerMaxW, o.powerMaxW);
    itEnergyKwh += o.itEnergyKwh;
    facilityEnergyKwh += o.facilityEnergyKwh;
    residualFacilityEnergyKwh += o.residualFacilityEnergyKwh;
    idleSamples += o.idleSamples;
    idleEnergyKwh += o.idleEnergyKwh;
    idleCostUsd += o.idleCostUsd;
    deliveredPflop += o.deliveredPflop;
    carbonLocationKg += o.carbonLocationKg;
    carbonMarketKg += o.carbonMarketKg;
    costUsd += o.costUsd;
    gridCfeEnergyKwh += o.gridCfeEnergyKwh;
    embodiedCarbonKg += o.embodiedCarbonKg;
    hourlyFactorWindows += o.hourlyFactorWindows;
    return this;
  }

  public WindowMetrics toWindowMetrics(AggregationLevel level, long windowStart, long windowEnd,
      Integer ultraserverId, String site, String generation, double gpuReferenceUsdPerPflop) {
    return toWindowMetrics(level, windowStart, windowEnd, ultraserverId, site, generation, gpuReferenceUsdPerPflop,
        factorsUsed);
  }

  public WindowMetrics toWindowMetrics(AggregationLevel level, long windowStart, long windowEnd,
      Integer ultraserverId, String site, String generation, double gpuReferenceUsdPerPflop, String factors) {
    double[] q = exactQuantiles != null ? exactQuantiles : sketchQuantiles(0.50, 0.95, 0.99);
    double usdPerPflop = ratio(costUsd, deliveredPflop);
    return WindowMetrics.newBuilder()
        .setLevel(level)
        .setWindowStart(Instant.ofEpochMilli(windowStart))
        .setWindowEnd(Instant.ofEpochMilli(windowEnd))
        .setUltraserverId(ultraserverId)
        .setSite(site)
        .setGeneration(generation)
        .setUltraservers(ultraservers)
        .setSamples(samples)
        .setChipsReporting(chipsReporting)
        .setChipSeconds(chipSeconds)
        .setUtilizationSum(utilizationSum)
        .setUtilizationAvg(ratio(utilizationSum, samples))
        .setUtilizationP50(q[0])
        .setUtilizationP95(q[1])
        .setUtilizationP99(q[2])
        .setUtilizationSketch(ByteBuffer.wrap(utilizationSketch))
        .setHbmUsedSumGib(hbmUsedSumGib)
        .setHbmCapacitySumGib(hbmCapacitySumGib)
        .setHbmUsedAvgGib(ratio(hbmUsedSumGib, samples))
        .setHbmUtil(ratio(hbmUsedSumGib, hbmCapacitySumGib))
        .setPowerSumW(powerSumW)
        .setPowerAvgW(ratio(powerSumW, samples))
        .setPowerMaxW(powerMaxW)
        .setItEnergyKwh(itEnergyKwh)
        .setPue(ratio(facilityEnergyKwh, itEnergyKwh))
        .setFacilityEnergyKwh(facilityEnergyKwh)
        .setResidualFacilityEnergyKwh(residualFacilityEnergyKwh)
        .setIdleSamples(idleSamples)
        .setIdleEnergyKwh(idleEnergyKwh)
        .setIdleCostUsd(idleCostUsd)
        .setDeliveredPflop(deliveredPflop)
        // delivered FLOP / IT joules / 1e12 = (PFLOP * 1e15) / (kWh * 3.6e6) / 1e12
        .setEfficiencyTflopsPerW(ratio(deliveredPflop * 1000.0, itEnergyKwh * 3.6e6))
        .setGridFactorGPerKwh(ratio(carbonLocationKg * 1000.0, facilityEnergyKwh))
        .setCarbonLocationKg(carbonLocationKg)
        .setCarbonMarketKg(carbonMarketKg)
        .setCarbonLocationGPerPflop(ratio(carbonLocationKg * 1000.0, deliveredPflop))
        .setCarbonMarketGPerPflop(ratio(carbonMarketKg * 1000.0, deliveredPflop))
        .setCostUsd(costUsd)
        .setUsdPerPflop(usdPerPflop)
        .setGpuReferenceUsdPerPflop(gpuReferenceUsdPerPflop)
        .setPricePerfVsGpu(gpuReferenceUsdPerPflop / usdPerPflop - 1)
        .setResidualFactorGPerKwh(ratio(carbonMarketKg * 1000.0, residualFacilityEnergyKwh))
        .setGridCfeEnergyKwh(gridCfeEnergyKwh)
        .setCfeShare(ratio(facilityEnergyKwh - residualFacilityEnergyKwh + gridCfeEnergyKwh, facilityEnergyKwh))
        .setEmbodiedCarbonKg(embodiedCarbonKg)
        .setCarbonTotalGPerPflop(ratio((carbonLocationKg + embodiedCarbonKg) * 1000.0, deliveredPflop))
        .setCarbonTotalMarketGPerPflop(ratio((carbonMarketKg + embodiedCarbonKg) * 1000.0, deliveredPflop))
        .setHourlyFactorWindows(hourlyFactorWindows)
        .setFactorsUsed(factors)
        .setPowerModelled(true)
        .build();
  }

  /**
   * One UltraServer window's carbon priced with the grid figures of its hour (GHG Protocol Scope 2 with hourly
   * matching, docs/metrics.md): location-based = facility energy x the hour's grid intensity; the contracted
   * carbon-free supply of the hour covers min(consumption, supply) (a share of consumption, capped at 1; null keeps
   * what the telemetry's renewable_share matched); market-based = the uncovered rest x the residual mix; the grid's
   * carbon-free share of the rest counts towards the 24/7 CFE score. Everything else stays as it is.
   */
  public MetricSums priceHour(double locationGPerKwh, double residualGPerKwh, double gridCfeShare,
      Double contractedCfeShare) {
    if (contractedCfeShare != null) {
      residualFacilityEnergyKwh = facilityEnergyKwh * (1 - Math.min(1, Math.max(0, contractedCfeShare)));
    }
    carbonLocationKg = facilityEnergyKwh * locationGPerKwh / 1000.0;
    carbonMarketKg = residualFacilityEnergyKwh * residualGPerKwh / 1000.0;
    gridCfeEnergyKwh = residualFacilityEnergyKwh * gridCfeShare;
    hourlyFactorWindows = ultraservers;
    return this;
  }

  private double[] sketchQuantiles(double... qs) {
    KllFloatsSketch sketch = KllFloatsSketch.heapify(Memory.wrap(utilizationSketch));
    double[] out = new double[qs.length];
    for (int i = 0; i < qs.length; i++) out[i] = sketch.isEmpty() ? Double.NaN : sketch.getQuantile(qs[i]);
    return out;
  }

  /** a / b, or NaN when b is zero: an undefined ratio is shown as undefined, not as zero or infinity. */
  public static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }
}
