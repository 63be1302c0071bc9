package io.fleetpulse.cluster;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a readiness condition until it holds: processes and ports are awaited by asking them, never by sleeping. */
public final class Await {

  private static final long POLL_MS = 250;

  private Await() {}

  /**
   * Returns the first non-null value {@code probe} gives; a probe that throws counts as not ready yet (a port that
   * refuses connections). Fails after {@code timeout} with the description and the last error.
   */
  public static <T> T value(String what, Duration timeout, Callable<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        T value = probe.call();
        if (value != null) return value;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what
            + (last == null ? "" : " (last error: " + last + ")"), last);
      }
      Thread.sleep(POLL_MS);
    }
  }

  /** Same, for a yes/no condition. */
  public static void until(String what, Duration timeout, Condition condition) throws InterruptedException {
    value(what, timeout, () -> condition.holds() ? Boolean.TRUE : null);
  }

  /** A condition that may fail while the thing it asks is not up yet. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }
}
