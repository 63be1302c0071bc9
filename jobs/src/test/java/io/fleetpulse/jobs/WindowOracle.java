package io.fleetpulse.jobs;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every UltraServer window must contain, computed straight from the generator's pure sample function and the
 * published factors, with none of the job's code: the independent side of the end-to-end checks.
 */
final class WindowOracle {

  record Key(int ultraserver, long windowStart) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return windowStart != o.windowStart ? Long.compare(windowStart, o.windowStart)
          : Integer.compare(ultraserver, o.ultraserver);
    }
  }

  static final class Expected {
    long samples;
    final Set<Integer> chips = new HashSet<>();
    double chipSeconds;
    double utilizationSum;
    double hbmUsedSum;
    double hbmCapacitySum;
    double powerSum;
    double powerMax;
    double energyJ;
    double residualEnergyJ;
    double idleEnergyJ;
    double idleChipSeconds;
    /** What the generator labelled the samples with (every sample of an UltraServer the same). */
    int workload;
    int tenant;
    double busyTflop;
    final List<Double> utilizations = new ArrayList<>();
    String site;
    String generation;

    double itEnergyKwh() {
      return energyJ / 3.6e6;
    }

    double deliveredPflop() {
      return busyTflop / 1000.0;
    }
  }

  static Map<Key, Expected> compute(FleetModel model, int chipFrom, int chipTo, long fromTick, long toTick,
      long windowMs) {
    FleetConfig cfg = model.config();
    Map<Key, Expected> out = new TreeMap<>();
    Sample s = new Sample();
    for (long tick = fromTick; tick < toTick; tick++) {
      for (int chip = chipFrom; chip < chipTo; chip++) {
        if (!model.sample(chip, tick, s)) continue;
        FleetConfig.Generation gen = model.generationOf(s.ultraserver);
        double dt = s.intervalMs / 1000.0;
        Expected e = out.computeIfAbsent(
            new Key(s.ultraserver, Math.floorDiv(s.eventTimeMs, windowMs) * windowMs), k -> new Expected());
        e.site = model.layout().siteId(s.ultraserver);
        e.generation = model.layout().generationId(s.ultraserver);
        e.samples++;
        e.chips.add(s.chip);
        e.chipSeconds += dt;
        e.utilizationSum += s.utilization;
        e.hbmUsedSum += s.hbmUsedGib;
        e.hbmCapacitySum += gen.hbmGib();
        e.powerSum += s.powerW;
        e.powerMax = Math.max(e.powerMax, s.powerW);
        e.energyJ += s.powerW * dt;
        e.residualEnergyJ += s.powerW * dt * (1 - s.renewableShare);
        if (s.utilization < 0.05) {
          e.idleEnergyJ += s.powerW * dt;
          e.idleChipSeconds += dt;
        }
        e.workload = s.workload;
        e.tenant = s.tenant;
        e.busyTflop += s.utilization * gen.deliveredPeakTflops() * dt;
        e.utilizations.add(s.utilization);
      }
    }
    return out;
  }

  private WindowOracle() {}
}
