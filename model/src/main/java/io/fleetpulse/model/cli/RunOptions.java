package io.fleetpulse.model.cli;

import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The shared flags that say which stretch of simulated time to run, and how fast. */
public final class RunOptions {

  @Option(names = "--start", paramLabel = "TIME", converter = Converters.StartConverter.class,
      description = "Simulated start: a UTC instant (2026-11-25T06:00:00Z), a date (midnight UTC) or epoch "
          + "millis; rounded down to the sample interval. Default: now, rounded down to the minute, so that a "
          + "--duration of whole minutes fills whole 1-minute windows.")
  Instant start;

  @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "Simulated time to run (e.g. 10m, 1h, 1d), then stop with every window committed. "
          + "Default: run until stopped (Ctrl-C).")
  Duration duration;

  @Option(names = "--speedup", paramLabel = "S", converter = Converters.SpeedupConverter.class,
      description = "Simulated seconds per wall-clock second: 1 is real time, 60 is a minute a second, "
          + "'max' as fast as possible. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
  Speedup speedup = Speedup.REAL_TIME;

  public Instant start() {
    return start;
  }

  /** The start given, or the current minute: a default run's windows are whole from the first one. */
  public Instant startOrNow() {
    return start != null ? start : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
  }

  public Duration duration() {
    return duration;
  }

  public Speedup speedup() {
    return speedup;
  }

  public RunOptions with(Instant start, Duration duration, Speedup speedup) {
    RunOptions r = new RunOptions();
    r.start = start;
    r.duration = duration;
    r.speedup = speedup;
    return r;
  }
}
