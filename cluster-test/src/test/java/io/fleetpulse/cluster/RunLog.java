package io.fleetpulse.cluster;

import java.util.Locale;

/** Progress lines of a cluster run, stamped with seconds since the run began (in the Surefire output file). */
final class RunLog {

  private final String name;
  private final long t0 = System.nanoTime();

  RunLog(String name) {
    this.name = name;
  }

  void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "%s %6.1fs: %s%n", name, (System.nanoTime() - t0) / 1e9,
        String.format(Locale.ROOT, format, args));
  }
}
