package io.fleetpulse.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/**
 * Waits for a readiness condition of the cluster's processes by asking them (REST, broker metadata, files): the
 * separate JVMs offer no callback to wait on, so the condition is polled with Awaitility, never slept out.
 */
public final class Await {

  private static final Duration POLL = Duration.ofMillis(250);

  private Await() {}

  /**
   * Returns the first non-null value {@code probe} gives; a probe that throws counts as not ready yet (a port that
   * refuses connections). Fails after {@code timeout}, naming {@code what}.
   */
  public static <T> T value(String what, Duration timeout, Callable<T> probe) {
    return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL).ignoreExceptions()
        .until(probe, Objects::nonNull);
  }

  /** Same, for a yes/no condition. */
  public static void until(String what, Duration timeout, Condition condition) {
    value(what, timeout, () -> condition.holds() ? Boolean.TRUE : null);
  }

  /** A condition that may fail while the thing it asks is not up yet. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }
}
