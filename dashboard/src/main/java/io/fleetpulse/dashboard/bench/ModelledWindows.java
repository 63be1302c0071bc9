package io.fleetpulse.dashboard.bench;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.kll.KllFloatsSketch;

/**
 * UltraServer window records computed straight from the fleet model's samples ({@link FleetModel#sample}) with the
 * formulas of docs/metrics.md: realistic input for the load benchmark and the dashboard's tests, without running
 * the generator and the Flink job. The metrics job stays the reference for these figures; this is a fixture.
 */
public final class ModelledWindows {

  /** Below this utilization a sample counts as idle (docs/metrics.md). */
  static final double IDLE_UTILIZATION = 0.05;

  private final FleetModel model;
  private final long windowMs;

  public ModelledWindows(FleetModel model, Duration window) {
    if (window.toMillis() % model.intervalMs() != 0) {
      throw new IllegalArgumentException("window " + window + " is not a multiple of the sample interval");
    }
    this.model = model;
    this.windowMs = window.toMillis();
  }

  public long windowMs() {
    return windowMs;
  }

  /** The window starting at windowStart (a multiple of the window length), one record per reporting UltraServer. */
  public List<WindowMetrics> window(long windowStart) {
    List<WindowMetrics> out = new ArrayList<>();
    for (int us = 0; us < model.layout().ultraservers(); us++) {
      WindowMetrics m = ultraserver(us, windowStart);
      if (m != null) out.add(m);
    }
    return out;
  }

  /** One UltraServer's window, or null when none of its chips reported (maintenance). */
  public WindowMetrics ultraserver(int us, long windowStart) {
    FleetConfig.Site site = model.siteOf(us);
    FleetConfig.Generation gen = model.generationOf(us);
    int perUs = model.layout().chipsPerUltraserver();
    long firstTick = model.tickOf(windowStart);
    long ticks = windowMs / model.intervalMs();
    Sample s = new Sample();
    KllFloatsSketch sketch = KllFloatsSketch.newHeapInstance(200);
    long samples = 0;
    long idleSamples = 0;
    int chips = 0;
    double chipSeconds = 0, utilSum = 0, busySeconds = 0, hbmSum = 0, powerSum = 0, powerMax = 0;
    double energyJ = 0, residualJ = 0, idleJ = 0;
    for (int chip = us * perUs; chip < (us + 1) * perUs; chip++) {
      boolean reported = false;
      for (long tick = firstTick; tick < firstTick + ticks; tick++) {
        if (!model.sample(chip, tick, s)) continue;
        reported = true;
        double dt = s.intervalMs / 1000.0;
        double joules = s.powerW * dt;
        samples++;
        chipSeconds += dt;
        utilSum += s.utilization;
        busySeconds += s.utilization * dt;
        hbmSum += s.hbmUsedGib;
        powerSum += s.powerW;
        powerMax = Math.max(powerMax, s.powerW);
        energyJ += joules;
        residualJ += joules * (1 - s.renewableShare);
        if (s.utilization < IDLE_UTILIZATION) {
          idleSamples++;
          idleJ += joules;
        }
        sketch.update((float) s.utilization);
      }
      if (reported) chips++;
    }
    if (samples == 0) return null;
    double itKwh = energyJ / 3.6e6;
    double facilityKwh = itKwh * site.pue();
    double residualKwh = residualJ / 3.6e6 * site.pue();
    double pflop = busySeconds * gen.peakTflops() / 1000.0;
    double carbonLocation = facilityKwh * site.gridFactorGPerKwh() / 1000.0;
    double carbonMarket = residualKwh * site.gridFactorGPerKwh() / 1000.0;
    double cost = chipSeconds / 3600.0 * gen.pricePerChipHourUsd();
    double usdPerPflop = ratio(cost, pflop);
    double gpu = model.config().gpuBaseline().usdPerPflop();
    double hbmCapacity = samples * gen.hbmGib();
    return WindowMetrics.newBuilder()
        .setLevel(AggregationLevel.ULTRASERVER)
        .setWindowStart(Instant.ofEpochMilli(windowStart))
        .setWindowEnd(Instant.ofEpochMilli(windowStart + windowMs))
        .setUltraserverId(us)
        .setSite(site.id())
        .setGeneration(model.layout().generationId(us))
        .setUltraservers(1)
        .setSamples(samples)
        .setChipsReporting(chips)
        .setChipSeconds(chipSeconds)
        .setUtilizationSum(utilSum)
        .setUtilizationAvg(utilSum / samples)
        .setUtilizationP50(sketch.getQuantile(0.50))
        .setUtilizationP95(sketch.getQuantile(0.95))
        .setUtilizationP99(sketch.getQuantile(0.99))
        .setUtilizationSketch(ByteBuffer.wrap(sketch.toByteArray()))
        .setHbmUsedSumGib(hbmSum)
        .setHbmCapacitySumGib(hbmCapacity)
        .setHbmUsedAvgGib(hbmSum / samples)
        .setHbmUtil(hbmSum / hbmCapacity)
        .setPowerSumW(powerSum)
        .setPowerAvgW(powerSum / samples)
        .setPowerMaxW(powerMax)
        .setItEnergyKwh(itKwh)
        .setPue(ratio(facilityKwh, itKwh))
        .setFacilityEnergyKwh(facilityKwh)
        .setResidualFacilityEnergyKwh(residualKwh)
        .setIdleSamples(idleSamples)
        .setIdleEnergyKwh(idleJ / 3.6e6)
        .setDeliveredPflop(pflop)
        .setEfficiencyTflopsPerW(ratio(pflop * 1000.0, itKwh * 3.6e6))
        .setGridFactorGPerKwh(ratio(carbonLocation * 1000.0, facilityKwh))
        .setCarbonLocationKg(carbonLocation)
        .setCarbonMarketKg(carbonMarket)
        .setCarbonLocationGPerPflop(ratio(carbonLocation * 1000.0, pflop))
        .setCarbonMarketGPerPflop(ratio(carbonMarket * 1000.0, pflop))
        .setCostUsd(cost)
        .setUsdPerPflop(usdPerPflop)
        .setGpuReferenceUsdPerPflop(gpu)
        .setPricePerfVsGpu(gpu / usdPerPflop - 1)
        .setPowerModelled(true)
        .build();
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }
}
