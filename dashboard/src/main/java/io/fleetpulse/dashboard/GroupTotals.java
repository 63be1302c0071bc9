package io.fleetpulse.dashboard;

import io.fleetpulse.schema.WindowMetrics;
import java.nio.ByteBuffer;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The sums of a group of chips in one window, re-aggregated from WindowMetrics records the way docs/metrics.md
 * says any level re-aggregates: add the sums, merge the utilization sketches, then derive every ratio from the
 * sums. A roll-up record (SITE or FLEET) goes through the same path as a group of one, so both sources yield
 * their figures by one definition.
 */
final class GroupTotals {

  /** Same accuracy parameter as the job's sketches (k=200); a merge keeps the smaller k of the two. */
  private static final int SKETCH_K = 200;

  private int ultraservers;
  private long samples;
  private int chips;
  private double utilizationSum;
  private double powerSumW;
  private double powerMaxW;
  private double itEnergyKwh;
  private double facilityEnergyKwh;
  private double idleEnergyKwh;
  private double deliveredPflop;
  private double carbonLocationKg;
  private double carbonMarketKg;
  private double costUsd;
  private double gpuUsdPerPflop = Double.NaN;
  private boolean powerModelled;
  private KllFloatsSketch sketch;
  /** A record whose sketch could not be read: the group's percentile would then leave it out, so none is shown. */
  private boolean sketchIncomplete;

  void add(WindowMetrics m) {
    ultraservers += m.getUltraservers();
    samples += m.getSamples();
    chips += m.getChipsReporting();
    utilizationSum += m.getUtilizationSum();
    powerSumW += m.getPowerSumW();
    powerMaxW = Math.max(powerMaxW, m.getPowerMaxW());
    itEnergyKwh += m.getItEnergyKwh();
    facilityEnergyKwh += m.getFacilityEnergyKwh();
    idleEnergyKwh += m.getIdleEnergyKwh();
    deliveredPflop += m.getDeliveredPflop();
    carbonLocationKg += m.getCarbonLocationKg();
    carbonMarketKg += m.getCarbonMarketKg();
    costUsd += m.getCostUsd();
    // One baseline for the whole fleet config; records only repeat it.
    if (Double.isFinite(m.getGpuReferenceUsdPerPflop())) gpuUsdPerPflop = m.getGpuReferenceUsdPerPflop();
    powerModelled |= m.getPowerModelled();
    mergeSketch(m.getUtilizationSketch());
  }

  private void mergeSketch(ByteBuffer bytes) {
    if (bytes == null || !bytes.hasRemaining()) {
      sketchIncomplete = true;
      return;
    }
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    try {
      KllFloatsSketch other = KllFloatsSketch.heapify(Memory.wrap(copy));
      if (sketch == null) sketch = KllFloatsSketch.newHeapInstance(SKETCH_K);
      sketch.merge(other);
    } catch (RuntimeException e) {
      // Bytes from Kafka: a truncated or foreign sketch fails in many ways deep inside DataSketches.
      sketchIncomplete = true;
    }
  }

  Views.Summary summary(String scope, String id, Views.Source source, long windowMs) {
    double usdPerPflop = ratio(costUsd, deliveredPflop);
    double p95 = sketch == null || sketch.isEmpty() || sketchIncomplete ? Double.NaN : sketch.getQuantile(0.95);
    return new Views.Summary(scope, id, source, ultraservers, chips, samples,
        Json.num(ratio(utilizationSum, samples)),
        Json.num(p95),
        Json.num(ratio(powerSumW, samples)),
        Json.num(samples == 0 ? Double.NaN : powerMaxW),
        Json.num(ratio(itEnergyKwh, windowMs / 3_600_000.0)),
        Json.num(itEnergyKwh),
        Json.num(facilityEnergyKwh),
        Json.num(idleEnergyKwh),
        Json.num(deliveredPflop),
        // delivered FLOP / IT joules / 1e12 = PFLOP * 1e15 / (kWh * 3.6e6) / 1e12
        Json.num(ratio(deliveredPflop * 1000.0, itEnergyKwh * 3.6e6)),
        Json.num(carbonLocationKg),
        Json.num(carbonMarketKg),
        Json.num(ratio(carbonLocationKg * 1000.0, deliveredPflop)),
        Json.num(ratio(carbonMarketKg * 1000.0, deliveredPflop)),
        Json.num(costUsd),
        Json.num(usdPerPflop),
        Json.num(gpuUsdPerPflop),
        Json.num(gpuUsdPerPflop / usdPerPflop - 1),
        powerModelled);
  }

  /** a / b, NaN when b is zero: an undefined ratio stays undefined (docs/metrics.md), never 0 or infinity. */
  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }
}
