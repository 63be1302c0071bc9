package io.fleetpulse.jobs.run;

import io.fleetpulse.jobs.window.EventTimeProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * How far a running job has decided its windows, from its event-time progress accumulators (which reach the client
 * with TaskManager heartbeats): what a client waits on before it stops the job with a savepoint, so that every window
 * up to a point is committed. Decided: emitted, or, with allowed lateness, waiting out its lateness with all its
 * on-time samples counted (a draining stop emits it; see {@link EventTimeProgress}).
 */
public final class WindowProgress {

  private static final long POLL_MS = 500;

  private WindowProgress() {}

  /** The end up to which every window is decided, or null before the job has emitted any. */
  public static Long completeUntil(JobClient client) throws Exception {
    Map<String, Object> acc = client.getAccumulators().get(30, TimeUnit.SECONDS);
    Long first = known((Long) acc.get(EventTimeProgress.FIRST_WINDOW_START));
    Long until = known((Long) acc.get(EventTimeProgress.COMPLETE_UNTIL));
    return first == null ? null : until;
  }

  private static Long known(Long value) {
    return value == null || value == EventTimeProgress.Extreme.UNSET || value == Long.MIN_VALUE ? null : value;
  }

  /**
   * Blocks until every window ending at or before {@code endMs} is decided; throws if the job ends first or
   * {@code timeout} passes. Logs each new point it reaches.
   */
  public static void awaitComplete(JobClient client, long endMs, Duration timeout, Consumer<String> log)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Long reported = null;
    while (true) {
      JobStatus status = client.getJobStatus().get(30, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) {
        throw new IllegalStateException("the job ended (" + status + ") before its windows up to "
            + Instant.ofEpochMilli(endMs) + " were decided");
      }
      Long until = completeUntil(client);
      if (until != null && !until.equals(reported)) {
        log.accept("windows complete until " + Instant.ofEpochMilli(until) + " of " + Instant.ofEpochMilli(endMs));
        reported = until;
      }
      if (until != null && until >= endMs) return;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the job had not decided its windows up to " + Instant.ofEpochMilli(endMs)
            + " after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(POLL_MS);
    }
  }
}
