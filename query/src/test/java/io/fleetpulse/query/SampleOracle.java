package io.fleetpulse.query;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.GridProfile;
import io.fleetpulse.model.Sample;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every UltraServer-minute the lake must hold, summed straight from the generator's pure sample function and the
 * published factors of the fleet config: none of the job's or the reports' code. The independent side of the
 * report checks.
 */
final class SampleOracle {

  static final double IDLE = 0.05; // docs/design.md §3: below this utilization a sample is idle

  /** One UltraServer in one window, in the units the reports use. */
  static final class Window {
    int ultraserver;
    long start;
    String site;
    String generation;
    long samples;
    long idleSamples;
    final Set<Integer> chips = new HashSet<>();
    double chipSeconds;
    double utilizationSum;
    double powerSum;
    double itKwh;
    double facilityKwh;
    double residualKwh;
    double idleItKwh;
    double idleFacilityKwh;
    double idleCarbonLocationKg;
    double idleCarbonMarketKg;
    double carbonLocationKg;
    double carbonMarketKg;
    double pflop;
    double costUsd;
    double idleCostUsd;
    double idleChipSeconds;
  }

  final Map<Long, Window> windows = new HashMap<>();
  final double gpuUsdPerPflop;

  SampleOracle(FleetModel model, long fromTick, long toTick, long windowMs) {
    FleetConfig cfg = model.config();
    gpuUsdPerPflop = cfg.gpuBaseline().usdPerPflop();
    Sample s = new Sample();
    for (long tick = fromTick; tick < toTick; tick++) {
      for (int chip = 0; chip < model.layout().chips(); chip++) {
        if (!model.sample(chip, tick, s)) continue;
        FleetConfig.Site site = model.siteOf(s.ultraserver);
        FleetConfig.Generation gen = model.generationOf(s.ultraserver);
        long start = Math.floorDiv(s.eventTimeMs, windowMs) * windowMs;
        Window w = windows.computeIfAbsent(start * 100_000L + s.ultraserver, k -> new Window());
        w.ultraserver = s.ultraserver;
        w.start = start;
        w.site = site.id();
        w.generation = model.layout().generationId(s.ultraserver);
        double dt = s.intervalMs / 1000.0;
        double kwh = s.powerW * dt / 3.6e6;
        double facility = kwh * site.pue();
        // Carbon at the hour's grid figures: the grid profile's pure function, as the job is fed them.
        GridProfile.Hour hour = model.gridHour(model.siteIndex(site.id()), s.eventTimeMs);
        double residual = facility * (1 - hour.contractedCfeShare());
        double locationKg = facility * hour.locationGPerKwh() / 1000;
        double marketKg = residual * hour.residualGPerKwh() / 1000;
        double cost = dt / 3600 * gen.pricePerChipHourUsd();
        w.samples++;
        w.chips.add(s.chip);
        w.chipSeconds += dt;
        w.utilizationSum += s.utilization;
        w.powerSum += s.powerW;
        w.itKwh += kwh;
        w.facilityKwh += facility;
        w.residualKwh += residual;
        w.carbonLocationKg += locationKg;
        w.carbonMarketKg += marketKg;
        w.pflop += s.utilization * gen.deliveredPeakTflops() * dt / 1000;
        w.costUsd += cost;
        if (s.utilization < IDLE) {
          w.idleSamples++;
          w.idleChipSeconds += dt;
          w.idleItKwh += kwh;
          w.idleFacilityKwh += facility;
          w.idleCarbonLocationKg += locationKg;
          w.idleCarbonMarketKg += marketKg;
          w.idleCostUsd += cost;
        }
      }
    }
  }

  /** Sums of a group of windows. */
  static final class Group {
    long windows;
    final Set<Integer> ultraservers = new HashSet<>();
    final Set<Long> windowStarts = new HashSet<>();
    long chipsReporting;
    long samples;
    double chipSeconds;
    double utilizationSum;
    double powerSum;
    double itKwh;
    double facilityKwh;
    double residualKwh;
    double carbonLocationKg;
    double carbonMarketKg;
    double pflop;
    double costUsd;
    double idleItKwh;
    double idleFacilityKwh;
    double idleCarbonLocationKg;
    double idleCarbonMarketKg;
    double idleCostUsd;
    double idleChipSeconds;

    void add(Window w) {
      windows++;
      ultraservers.add(w.ultraserver);
      windowStarts.add(w.start);
      chipsReporting += w.chips.size();
      samples += w.samples;
      chipSeconds += w.chipSeconds;
      utilizationSum += w.utilizationSum;
      powerSum += w.powerSum;
      itKwh += w.itKwh;
      facilityKwh += w.facilityKwh;
      residualKwh += w.residualKwh;
      carbonLocationKg += w.carbonLocationKg;
      carbonMarketKg += w.carbonMarketKg;
      pflop += w.pflop;
      costUsd += w.costUsd;
      idleItKwh += w.idleItKwh;
      idleFacilityKwh += w.idleFacilityKwh;
      idleCarbonLocationKg += w.idleCarbonLocationKg;
      idleCarbonMarketKg += w.idleCarbonMarketKg;
      idleCostUsd += w.idleCostUsd;
      idleChipSeconds += w.idleChipSeconds;
    }
  }

  <K> Map<K, Group> groupBy(java.util.function.Function<Window, K> key) {
    Map<K, Group> groups = new HashMap<>();
    for (Window w : windows.values()) groups.computeIfAbsent(key.apply(w), k -> new Group()).add(w);
    return groups;
  }
}
