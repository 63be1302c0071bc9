package io.fleetpulse.runner;

import io.fleetpulse.lake.LakeMaintenance;
import io.fleetpulse.lake.PassReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The demo's lake maintenance: a pass every {@code interval} of wall-clock time on a thread of its own while the
 * job runs (compacting the hours the job has moved past, retiring what --retention allows), and the last passes
 * once it has stopped; none at all with an interval of 0. A failed pass is reported and the next one tries again;
 * it never stops the demo.
 */
final class LakeUpkeep implements AutoCloseable {

  private final Path root;
  private final LakeMaintenance.Settings settings;
  private final Consumer<String> log;
  private final ScheduledExecutorService timer;
  private final boolean off;

  private LakeUpkeep(Path root, LakeMaintenance.Settings settings, Duration interval, Consumer<String> log) {
    this.root = root;
    this.settings = settings;
    this.log = log;
    this.off = interval.isZero() || interval.isNegative();
    if (off) {
      timer = null;
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lake-maintenance");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> pass(settings, false), interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  static LakeUpkeep start(Path root, LakeMaintenance.Settings settings, Duration interval, Consumer<String> log) {
    return new LakeUpkeep(root, settings, interval, log);
  }

  /**
   * After the job stopped: stops the periodic passes, then compacts every partition (all are sealed now), keeping
   * the replaced files for the grace period while the SQL endpoint may still read them.
   */
  void afterJob() {
    if (off) return;
    stopTimer();
    pass(settings.withJobStopped(true), true);
  }

  /** Once nothing of the demo reads the lake any more: deletes the replaced files at once (no grace period). */
  void afterReaders() {
    if (off) return;
    pass(settings.withJobStopped(true).withGrace(Duration.ZERO), true);
  }

  private void pass(LakeMaintenance.Settings s, boolean always) {
    try {
      PassReport report = LakeMaintenance.of(root, s).run(true, true, line -> {});
      boolean did = report.partitionsCompacted() > 0 || report.retired() > 0 || report.recovered() > 0
          || report.deletedFiles() > 0 || !report.problems().isEmpty();
      if (did || always) log.accept(report.summary());
      report.problems().forEach(p -> log.accept("lake: " + p));
    } catch (RuntimeException e) {
      log.accept("lake: maintenance failed, the next pass tries again: " + e.getMessage());
    }
  }

  private void stopTimer() {
    if (timer == null) return;
    timer.shutdown();
    try {
      // A pass under way finishes (the next one would redo its work anyway, but a clean end prints less).
      timer.awaitTermination(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
  }
}
