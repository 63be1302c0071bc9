package io.fleetpulse.generator;

import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.model.TickSampler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Walks simulated time tick by tick and hands every sample of this shard's chips to a sink. Samples come from a
 * {@link TickSampler}: {@link FleetModel#sample}'s values, computed with what chips share cached per tick. Event time comes from
 * the model; the wall clock only paces the walk (tick k is released when (k + 1 - start) intervals / speedup have
 * passed, i.e. once the samples of that tick have been taken), so pacing never changes what is produced.
 */
public final class FleetGenerator {

  private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final FleetModel model;
  private final RunPlan plan;
  private final SampleSink sink;
  private final Consumer<GeneratorStats> progress;
  private volatile boolean stopRequested;

  public FleetGenerator(FleetModel model, RunPlan plan, SampleSink sink, Consumer<GeneratorStats> progress) {
    this.model = model;
    this.plan = plan;
    this.sink = sink;
    this.progress = progress;
  }

  /** Asks the run to end after the tick in progress; {@link #run()} then flushes and returns. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Runs the plan to its end (or a stop request), flushes the sink and returns what was produced. */
  public GeneratorStats run() {
    FleetLayout layout = model.layout();
    int[] usRange = layout.shardRange(plan.shard().index(), plan.shard().count());
    int chipFrom = usRange[0] * layout.chipsPerUltraserver();
    int chipTo = usRange[1] * layout.chipsPerUltraserver();
    long startTick = plan.startTick(model);
    long endTick = plan.endTick(model);
    long ticksTotal = endTick == RunPlan.UNBOUNDED ? RunPlan.UNBOUNDED : endTick - startTick;
    double nanosPerTick = plan.speedup().unpaced() ? 0 : model.intervalMs() * 1e6 / plan.speedup().factor();

    TickSampler sampler = new TickSampler(model, chipFrom, chipTo);
    Sample sample = new Sample();
    long samples = 0;
    long wallStart = System.nanoTime();
    long paceAnchor = plan.paceFrom() == null ? wallStart
        : wallStart + (plan.paceFrom().toEpochMilli() - System.currentTimeMillis()) * 1_000_000L;
    long nextProgress = wallStart + PROGRESS_EVERY_NANOS;
    long tick = startTick;
    long behind = 0;
    for (; tick < endTick && !stopRequested; tick++) {
      if (nanosPerTick > 0) {
        long due = paceAnchor + (long) ((tick + 1 - startTick) * nanosPerTick);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          parkUntil(due);
          behind = 0;
        } else {
          behind = -wait;
        }
      }
      sampler.tick(tick);
      for (int chip = chipFrom; chip < chipTo; chip++) {
        if (sampler.sample(chip, sample)) {
          sink.accept(sample);
          samples++;
        }
      }
      long now = System.nanoTime();
      if (now >= nextProgress) {
        progress.accept(stats(samples, tick + 1 - startTick, ticksTotal, tick + 1, now - wallStart, behind));
        nextProgress = now + PROGRESS_EVERY_NANOS;
      }
    }
    sink.flush();
    return stats(samples, tick - startTick, ticksTotal, tick, System.nanoTime() - wallStart, behind);
  }

  private GeneratorStats stats(long samples, long done, long total, long simTick, long wallNanos, long behindNanos) {
    return new GeneratorStats(samples, done, total, Instant.ofEpochMilli(simTick * model.intervalMs()),
        Duration.ofNanos(wallNanos), Duration.ofNanos(behindNanos));
  }

  private void parkUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0 && !stopRequested) {
      LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
    }
  }
}
