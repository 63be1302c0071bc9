package io.fleetpulse.jobs.run;

import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.jobs.source.WithinRun;
import io.fleetpulse.model.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * Implements {@code --duration} for a running job: polls the job's event-time progress accumulators and, once every
 * window up to start + duration is decided, stops the job with a savepoint, which commits the last Parquet files.
 * Without allowed lateness the windows have been emitted by then, and the savepoint does not drain, so the job can
 * carry on from it. With it, the last windows wait out a lateness that the run's event time will never reach, and
 * the stop drains: the end of input emits them. The pipeline itself leaves samples after the end out
 * ({@link WithinRun}), so however late the stop comes, no window after the end is written.
 */
public final class DurationStop {

  private static final long POLL_MS = 500;

  private final JobClient client;
  private final Duration duration;
  private final Instant start;
  private final String savepointDir;
  private final Consumer<String> log;
  private final boolean drain;

  public DurationStop(JobClient client, JobConfig cfg, Consumer<String> log) {
    this.drain = !cfg.get(JobOptions.ALLOWED_LATENESS).isZero();
    this.client = client;
    this.duration = cfg.get(JobOptions.DURATION);
    this.start = cfg.start();
    this.savepointDir = cfg.checkpointUri() + "/savepoints";
    this.log = log;
  }

  /** Blocks until the job has covered the duration (then stops it) or ends on its own; returns the savepoint path. */
  public String awaitAndStop() throws Exception {
    Long reported = null;
    while (true) {
      JobStatus status = client.getJobStatus().get(30, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) {
        client.getJobExecutionResult().get();
        return null;
      }
      Long until = WindowProgress.completeUntil(client);
      if (until != null) {
        long end = start.toEpochMilli() + duration.toMillis();
        if (!until.equals(reported)) {
          log.accept("job: windows complete until " + Instant.ofEpochMilli(until) + " of " + Instant.ofEpochMilli(end));
          reported = until;
        }
        if (until >= end) {
          log.accept("job: " + Durations.format(duration) + " of event time done; stopping with a savepoint"
              + (drain ? " (draining: the last windows are waiting out --allowed-lateness)" : ""));
          String savepoint = client.stopWithSavepoint(drain, savepointDir, SavepointFormatType.CANONICAL)
              .get(10, TimeUnit.MINUTES);
          log.accept("job: stopped, savepoint " + savepoint);
          return savepoint;
        }
      }
      Thread.sleep(POLL_MS);
    }
  }
}
