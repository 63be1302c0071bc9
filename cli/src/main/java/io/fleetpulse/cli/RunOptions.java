package io.fleetpulse.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Which stretch of simulated time to run, and how fast: {@link SharedOptions#RUN}. */
public record RunOptions(Instant start, Duration duration, Speedup speedup) {

  public static RunOptions from(Flags flags) {
    return new RunOptions(flags.get(SharedOptions.START), flags.get(SharedOptions.DURATION),
        flags.get(SharedOptions.SPEEDUP));
  }

  /** The start given, or the current minute: a default run's windows are whole from the first one. */
  public Instant startOrNow() {
    return start != null ? start : Instant.now().truncatedTo(ChronoUnit.MINUTES);
  }

  public RunOptions with(Instant start, Duration duration, Speedup speedup) {
    return new RunOptions(start, duration, speedup);
  }
}
