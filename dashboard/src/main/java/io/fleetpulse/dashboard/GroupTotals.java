package io.fleetpulse.dashboard;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import org.apache.datasketches.kll.KllFloatsSketch;

/**
 * The sums of a group of chips in one window, re-aggregated from WindowMetrics records the way docs/metrics.md
 * says any level re-aggregates: add the sums, merge the utilization sketches, then derive every ratio from the
 * sums, with the job's own {@link MetricSums}. A roll-up record (SITE or FLEET) goes through the same path as a
 * group of one, so both sources yield their figures by one definition.
 *
 * <p>Records get here checked ({@link RecordCheck}): finite, non-negative sums and a readable sketch of exactly
 * their samples, so one bad record never spoils a group's figures.
 */
final class GroupTotals {

  private static final byte[] EMPTY_SKETCH = KllFloatsSketch.newHeapInstance(MetricSums.SKETCH_K).toByteArray();

  /** Everything but the sketch, which is merged here. */
  private final MetricSums sums = new MetricSums();
  private double gpuUsdPerPflop = Double.NaN;
  private boolean powerModelled;
  private KllFloatsSketch sketch;

  /** Adds one checked record, whose sketch the check has read already. */
  void add(WindowMetrics m, KllFloatsSketch recordSketch) {
    sums.add(MetricSums.countsAndSumsOf(m));
    // One baseline for the whole fleet config; records only repeat it.
    gpuUsdPerPflop = m.getGpuReferenceUsdPerPflop();
    powerModelled |= m.getPowerModelled();
    if (sketch == null) sketch = KllFloatsSketch.newHeapInstance(MetricSums.SKETCH_K);
    sketch.merge(recordSketch);
  }

  /** Adds another group's totals (disjoint chips): the fleet from its sites, one merge per site. */
  void add(GroupTotals part) {
    sums.addCountsAndSums(part.sums);
    if (!Double.isNaN(part.gpuUsdPerPflop)) gpuUsdPerPflop = part.gpuUsdPerPflop;
    powerModelled |= part.powerModelled;
    if (part.sketch == null) return;
    if (sketch == null) sketch = KllFloatsSketch.newHeapInstance(MetricSums.SKETCH_K);
    sketch.merge(part.sketch);
  }

  /** Samples added so far. */
  long samples() {
    return sums.samples;
  }

  Views.Summary summary(String scope, String id, Views.Source source, long windowMs) {
    sums.utilizationSketch = sketch == null ? EMPTY_SKETCH : sketch.toByteArray();
    WindowMetrics w = sums.toWindowMetrics(AggregationLevel.FLEET, 0, windowMs, null, null, null, gpuUsdPerPflop);
    return new Views.Summary(scope, id, source, w.getUltraservers(), w.getChipsReporting(), w.getSamples(),
        Json.num(w.getUtilizationAvg()),
        Json.num(w.getUtilizationP95()),
        Json.num(w.getPowerAvgW()),
        Json.num(w.getSamples() == 0 ? Double.NaN : w.getPowerMaxW()),
        Json.num(MetricSums.ratio(w.getItEnergyKwh(), windowMs / 3_600_000.0)),
        Json.num(w.getItEnergyKwh()),
        Json.num(w.getFacilityEnergyKwh()),
        Json.num(w.getIdleEnergyKwh()),
        Json.num(w.getDeliveredPflop()),
        Json.num(w.getEfficiencyTflopsPerW()),
        Json.num(w.getCarbonLocationKg()),
        Json.num(w.getCarbonMarketKg()),
        Json.num(w.getCarbonLocationGPerPflop()),
        Json.num(w.getCarbonMarketGPerPflop()),
        Json.num(w.getCostUsd()),
        Json.num(w.getUsdPerPflop()),
        Json.num(w.getGpuReferenceUsdPerPflop()),
        Json.num(w.getPricePerfVsGpu()),
        powerModelled);
  }
}
