package io.fleetpulse.generator;

import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import java.time.Duration;
import java.time.Instant;

/**
 * Which ticks and chips a generator run covers, and when. The start is rounded down to the sample interval; a bounded
 * run covers [start, start + duration) exactly, so its last window is complete. {@code paceFrom} is the wall-clock
 * instant the simulated start stands for: tick k is released at paceFrom + (k + 1 - start) intervals / speedup.
 * Shards given the same start, speedup and paceFrom release each tick together, however far apart they were started;
 * null paces from when the run begins.
 */
public record RunPlan(Shard shard, Instant start, Duration duration, Speedup speedup, Instant paceFrom) {

  public static final long UNBOUNDED = Long.MAX_VALUE;

  public RunPlan {
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("--duration must be > 0, got " + Durations.format(duration));
    }
  }

  public RunPlan(Shard shard, Instant start, Duration duration, Speedup speedup) {
    this(shard, start, duration, speedup, null);
  }

  public long startTick(FleetModel model) {
    return model.tickOf(start.toEpochMilli());
  }

  /** Exclusive end tick, or {@link #UNBOUNDED}. */
  public long endTick(FleetModel model) {
    if (duration == null) return UNBOUNDED;
    long interval = model.intervalMs();
    if (duration.toMillis() % interval != 0) {
      throw new IllegalArgumentException("--duration must be a whole number of sample intervals ("
          + Durations.format(Duration.ofMillis(interval)) + "), got " + Durations.format(duration));
    }
    return startTick(model) + duration.toMillis() / interval;
  }

  public Instant alignedStart(FleetModel model) {
    return Instant.ofEpochMilli(startTick(model) * model.intervalMs());
  }
}
