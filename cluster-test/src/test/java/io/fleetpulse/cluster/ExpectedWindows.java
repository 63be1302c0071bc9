package io.fleetpulse.cluster;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every UltraServer window must hold, straight from the generator's pure sample function over the whole fleet,
 * with none of the job's code and none of the shards' split: the oracle the cluster's Parquet is checked against.
 */
public final class ExpectedWindows {

  /** One UltraServer and window. */
  public record Key(int ultraserver, long windowStartMs) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return windowStartMs != o.windowStartMs ? Long.compare(windowStartMs, o.windowStartMs)
          : Integer.compare(ultraserver, o.ultraserver);
    }
  }

  /** The sums a window must have; energy and FLOP per docs/design.md §3. */
  public static final class Window {
    long samples;
    final Set<Integer> chips = new HashSet<>();
    double energyJ;
    double busyTflop;

    public long samples() {
      return samples;
    }

    public int chips() {
      return chips.size();
    }

    public double itEnergyKwh() {
      return energyJ / 3.6e6;
    }

    public double deliveredPflop() {
      return busyTflop / 1000.0;
    }
  }

  private final Map<Key, Window> windows;
  private final long samples;

  private ExpectedWindows(Map<Key, Window> windows, long samples) {
    this.windows = windows;
    this.samples = samples;
  }

  /** Every chip of the fleet, ticks [fromTick, toTick). */
  public static ExpectedWindows of(FleetModel model, long fromTick, long toTick, long windowMs) {
    Map<Key, Window> out = new TreeMap<>();
    Sample s = new Sample();
    long total = 0;
    for (long tick = fromTick; tick < toTick; tick++) {
      for (int chip = 0; chip < model.layout().chips(); chip++) {
        if (!model.sample(chip, tick, s)) continue;
        FleetConfig.Generation gen = model.generationOf(s.ultraserver);
        double dt = s.intervalMs / 1000.0;
        Window w = out.computeIfAbsent(new Key(s.ultraserver, Math.floorDiv(s.eventTimeMs, windowMs) * windowMs),
            k -> new Window());
        w.samples++;
        w.chips.add(s.chip);
        w.energyJ += s.powerW * dt;
        w.busyTflop += s.utilization * gen.deliveredPeakTflops() * dt;
        total++;
      }
    }
    return new ExpectedWindows(out, total);
  }

  public Map<Key, Window> windows() {
    return windows;
  }

  public long samples() {
    return samples;
  }
}
