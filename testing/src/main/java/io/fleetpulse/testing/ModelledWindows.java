package io.fleetpulse.testing;

import io.fleetpulse.metrics.ReadingSums;
import io.fleetpulse.metrics.UltraServerFactors;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * UltraServer window records computed straight from the fleet model's samples ({@link FleetModel#sample}):
 * realistic input for the load benchmark and the dashboard's tests, without running the generator and the Flink
 * job. The sums and every derived metric come from the same code the job uses ({@link ReadingSums},
 * {@link io.fleetpulse.metrics.MetricSums}); only the factors_used provenance is left empty.
 */
public final class ModelledWindows {

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
    int perUs = model.layout().chipsPerUltraserver();
    long firstTick = model.tickOf(windowStart);
    long ticks = windowMs / model.intervalMs();
    Sample s = new Sample();
    ReadingSums readings = new ReadingSums();
    int chips = 0;
    for (int chip = us * perUs; chip < (us + 1) * perUs; chip++) {
      boolean reported = false;
      for (long tick = firstTick; tick < firstTick + ticks; tick++) {
        if (!model.sample(chip, tick, s)) continue;
        reported = true;
        readings.add(s.intervalMs / 1000.0, s.utilization, s.hbmUsedGib, s.powerW, s.renewableShare);
      }
      if (reported) chips++;
    }
    if (readings.samples == 0) return null;
    return readings.toSums(chips, factors(model, us)).toWindowMetrics(AggregationLevel.ULTRASERVER, windowStart,
        windowStart + windowMs, us, site.id(), model.layout().generationId(us), model.config().gpuBaseline().usdPerPflop());
  }

  /**
   * The factors an UltraServer's readings are priced with: its site's PUE and annual grid factors (the residual mix
   * and grid CFE share of the site's grid region), its generation's peak, HBM, price and embodied carbon.
   */
  public static UltraServerFactors factors(FleetModel model, int us) {
    FleetConfig.Site site = model.siteOf(us);
    FleetConfig.Generation gen = model.generationOf(us);
    io.fleetpulse.model.GridProfile.Region region = io.fleetpulse.model.GridProfile.defaults().region(site.gridRegion());
    return new UltraServerFactors(site.pue(), site.gridFactorGPerKwh(),
        region == null ? site.gridFactorGPerKwh() : region.residualGPerKwh(), region == null ? 0 : region.cfeMean(),
        gen.deliveredPeakTflops(), gen.hbmGib(), gen.pricePerChipHourUsd(), gen.embodiedKgPerChipSecond());
  }
}
