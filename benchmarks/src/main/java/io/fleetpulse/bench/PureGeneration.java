package io.fleetpulse.bench;

import io.fleetpulse.generator.ChipSampleWriter;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.model.TickSampler;

/**
 * Generation without Kafka on the calling thread: whole ticks of the fleet through the generator's fast path, from
 * a given tick on. Each round continues where the last one stopped, so day changes (and the per-day work they
 * cause) fall into the rounds as often as they would in a run.
 */
final class PureGeneration {

  /** What one round did; {@code checksum} keeps the JIT from discarding work whose result nobody reads. */
  record Round(long samples, long bytes, long nanos, long checksum) {
    double perSecond() {
      return samples / (nanos / 1e9);
    }
  }

  private final FleetModel model;
  private final TickSampler sampler;
  private final ChipSampleWriter writer;
  private final Sample sample = new Sample();
  private final int chips;
  private long nextTick;

  PureGeneration(FleetModel model, long firstTick) {
    this.model = model;
    this.chips = model.layout().chips();
    this.sampler = new TickSampler(model, 0, chips);
    this.writer = new ChipSampleWriter(model.layout());
    this.nextTick = firstTick;
  }

  /** Samples only ({@link TickSampler}), whole ticks until at least {@code minSamples}. */
  Round modelOnly(long minSamples) {
    long samples = 0;
    long checksum = 0;
    long t0 = System.nanoTime();
    while (samples < minSamples) {
      sampler.tick(nextTick++);
      for (int chip = 0; chip < chips; chip++) {
        if (sampler.sample(chip, sample)) {
          samples++;
          checksum += Double.doubleToRawLongBits(sample.powerW) ^ sample.eccCorrectedTotal;
        }
      }
    }
    return new Round(samples, 0, System.nanoTime() - t0, checksum);
  }

  /** Samples encoded to the Avro bytes the generator hands to Kafka (one new array per record, as Kafka needs). */
  Round withEncoding(long minSamples) {
    long samples = 0;
    long bytes = 0;
    long checksum = 0;
    long t0 = System.nanoTime();
    while (samples < minSamples) {
      sampler.tick(nextTick++);
      for (int chip = 0; chip < chips; chip++) {
        if (sampler.sample(chip, sample)) {
          byte[] record = writer.encode(sample);
          samples++;
          bytes += record.length;
          checksum += record[record.length - 1];
        }
      }
    }
    return new Round(samples, bytes, System.nanoTime() - t0, checksum);
  }

  /** The source of truth, {@link FleetModel#sample}, unchanged: what the fast path saves. */
  Round pureFunction(long minSamples) {
    long samples = 0;
    long checksum = 0;
    long t0 = System.nanoTime();
    while (samples < minSamples) {
      long tick = nextTick++;
      for (int chip = 0; chip < chips && samples < minSamples; chip++) {
        if (model.sample(chip, tick, sample)) {
          samples++;
          checksum += Double.doubleToRawLongBits(sample.powerW);
        }
      }
    }
    return new Round(samples, 0, System.nanoTime() - t0, checksum);
  }
}
