package io.fleetpulse.jobs;

import java.util.Arrays;

/**
 * Running sums of one UltraServer's samples in one window. Only sums, extremes and the raw utilizations (for the
 * quantile sketch, built once when the window fires) are kept; every factor (peak, PUE, price) is applied at the
 * end, which is exact because an UltraServer sits in one site and holds one chip generation.
 */
public class UltraServerAccumulator {
  public int ultraserverId = -1;
  public String site;
  public String generation;
  public long samples;
  public ChipSet chips = new ChipSet();
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
  public float[] utilizations = new float[64];
  public int utilizationCount;

  public UltraServerAccumulator() {}

  public void add(ChipReading r) {
    if (ultraserverId < 0) {
      ultraserverId = r.ultraserverId;
      site = r.site;
      generation = r.generation;
    }
    double dt = r.intervalSeconds();
    double joules = r.powerW * dt;
    samples++;
    chips.add(r.chipId);
    chipSeconds += dt;
    utilizationSum += r.utilization;
    busySeconds += r.utilization * dt;
    hbmUsedSumGib += r.hbmUsedGib;
    powerSumW += r.powerW;
    powerMaxW = Math.max(powerMaxW, r.powerW);
    energyJ += joules;
    residualEnergyJ += joules * (1 - r.renewableShare);
    if (r.utilization < MetricFactors.IDLE_UTILIZATION) {
      idleSamples++;
      idleEnergyJ += joules;
    }
    if (utilizationCount == utilizations.length) {
      utilizations = Arrays.copyOf(utilizations, utilizations.length * 2);
    }
    utilizations[utilizationCount++] = (float) r.utilization;
  }

  public UltraServerAccumulator merge(UltraServerAccumulator o) {
    if (ultraserverId < 0) {
      ultraserverId = o.ultraserverId;
      site = o.site;
      generation = o.generation;
    }
    samples += o.samples;
    chips.addAll(o.chips);
    chipSeconds += o.chipSeconds;
    utilizationSum += o.utilizationSum;
    busySeconds += o.busySeconds;
    hbmUsedSumGib += o.hbmUsedSumGib;
    powerSumW += o.powerSumW;
    powerMaxW = Math.max(powerMaxW, o.powerMaxW);
    energyJ += o.energyJ;
    residualEnergyJ += o.residualEnergyJ;
    idleSamples += o.idleSamples;
    idleEnergyJ += o.idleEnergyJ;
    for (int i = 0; i < o.utilizationCount; i++) {
      if (utilizationCount == utilizations.length) {
        utilizations = Arrays.copyOf(utilizations, utilizations.length * 2);
      }
      utilizations[utilizationCount++] = o.utilizations[i];
    }
    return this;
  }
}
