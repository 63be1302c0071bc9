package io.fleetpulse.model;

import java.time.Instant;
import java.util.Map;

/** Test helper: walks a fleet tick by tick through the fast path (held identical to the model by TickSamplerTest). */
final class FleetRun {

  interface Visitor {
    void sample(long tick, Sample s);
  }

  final FleetModel model;

  FleetRun(Map<String, String> overrides) {
    this.model = new FleetModel(FleetConfigLoader.load(null, overrides));
  }

  long tickAt(String instant) {
    return model.tickOf(Instant.parse(instant).toEpochMilli());
  }

  /** Every sample of chips [from, to) (every chipStep-th) for ticks [firstTick, firstTick + ticks). */
  void walk(int from, int to, int chipStep, long firstTick, long ticks, long tickStep, Visitor visitor) {
    TickSampler sampler = new TickSampler(model, from, to);
    Sample s = new Sample();
    for (long tick = firstTick; tick < firstTick + ticks; tick += tickStep) {
      sampler.tick(tick);
      for (int chip = from; chip < to; chip += chipStep) {
        if (sampler.sample(chip, s)) visitor.sample(tick, s);
      }
    }
  }

  void walkAll(long firstTick, long ticks, long tickStep, Visitor visitor) {
    walk(0, model.layout().chips(), 1, firstTick, ticks, tickStep, visitor);
  }
}
