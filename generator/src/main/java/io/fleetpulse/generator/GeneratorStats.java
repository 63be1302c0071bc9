package io.fleetpulse.generator;

import java.time.Duration;
import java.time.Instant;

/** What a generator run has done so far, or did in all. */
public record GeneratorStats(
    long samples,
    long ticksDone,
    long ticksTotal,
    Instant simulatedTime,
    Duration wallTime,
    Duration behindSchedule) {

  public double samplesPerSecond() {
    double s = wallTime.toNanos() / 1e9;
    return s > 0 ? samples / s : 0;
  }

  public String line() {
    String of = ticksTotal == RunPlan.UNBOUNDED ? "" : String.format(" (%.0f%%)", 100.0 * ticksDone / ticksTotal);
    String lag = behindSchedule.toMillis() > 1000
        ? String.format(", %.1f s behind schedule", behindSchedule.toMillis() / 1000.0) : "";
    return String.format("generator: %,d samples, %,.0f samples/s, simulated time %s%s%s",
        samples, samplesPerSecond(), simulatedTime, of, lag);
  }
}
