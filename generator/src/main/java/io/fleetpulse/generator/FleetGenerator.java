package io.fleetpulse.generator;

import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.GridProfile;
import io.fleetpulse.model.Sample;
import io.fleetpulse.model.TickSampler;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Walks simulated time tick by tick and hands every sample of this shard's chips to a sink, in event-time order: a
 * chip reports at its own phase inside the tick (FleetModel), so within a tick the chips go out sorted by phase, and
 * each sample leaves when the wall clock reaches its event time (at the run's speedup) rather than in one burst per
 * tick. After each tick the sink is told the shard is complete up to the tick's end ({@link SampleSink#progress}).
 *
 * <p>Event time comes from the model; the wall clock only paces the walk: a sample stamped t is sent at
 * paceFrom + (t - start) / speedup, so pacing never changes what is produced. Samples come from a {@link TickSampler}:
 * {@link FleetModel#sample}'s values, computed with what chips share cached per tick.
 */
public final class FleetGenerator {

  private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** How far ahead of schedule a sample may leave: sends go in bursts of at most this much wall time. */
  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final FleetModel model;
  private final RunPlan plan;
  private final SampleSink sink;
  private final Consumer<GeneratorStats> progress;
  private final SentAlready sentAlready;
  private final long resumeTick;
  private volatile boolean stopRequested;
  private volatile long stopAtMultipleOfMs;
  // What the run has done so far, for other threads (the metrics endpoint): written every PUBLISH_EVERY samples and
  // at the end of each tick, so the loop pays a mask test per sample.
  private volatile long liveSamples;
  private volatile long liveTicks;
  private volatile long liveCompleteUntilMs = -1;
  private volatile long liveBehindNanos;
  private volatile boolean finished;
  private static final long PUBLISH_EVERY = 4096;

  public FleetGenerator(FleetModel model, RunPlan plan, SampleSink sink, Consumer<GeneratorStats> progress) {
    this(model, plan, sink, progress, RunPlan.UNBOUNDED, SentAlready.NOTHING);
  }

  /**
   * A run that carries on from tick {@code resumeTick} (or the plan's start when {@link RunPlan#UNBOUNDED}) and leaves
   * out what {@code sentAlready} says an earlier run of the shard wrote.
   */
  public FleetGenerator(FleetModel model, RunPlan plan, SampleSink sink, Consumer<GeneratorStats> progress,
      long resumeTick, SentAlready sentAlready) {
    this.model = model;
    this.plan = plan;
    this.sink = sink;
    this.progress = progress;
    this.resumeTick = resumeTick;
    this.sentAlready = sentAlready;
  }

  /** Asks the run to end after the tick in progress; {@link #run()} then flushes and returns. */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Asks the run to end at the next tick boundary that is a multiple of {@code boundaryMs} (a window end), producing
   * the ticks up to it at once, unpaced: every window the run touched is then whole, and a resumed run starts on a
   * window boundary.
   */
  public void requestStopAt(long boundaryMs) {
    stopAtMultipleOfMs = boundaryMs;
  }

  /** Runs the plan to its end (or a stop request), flushes the sink and returns what was produced. */
  public GeneratorStats run() {
    FleetLayout layout = model.layout();
    long interval = model.intervalMs();
    int[] usRange = layout.shardRange(plan.shard().index(), plan.shard().count());
    int chipFrom = usRange[0] * layout.chipsPerUltraserver();
    int chipTo = usRange[1] * layout.chipsPerUltraserver();
    int[] byPhase = chipsByPhase(chipFrom, chipTo);
    long planStart = plan.startTick(model);
    long startTick = resumeTick == RunPlan.UNBOUNDED ? planStart : Math.max(planStart, resumeTick);
    long endTick = plan.endTick(model);
    long ticksTotal = endTick == RunPlan.UNBOUNDED ? RunPlan.UNBOUNDED : endTick - startTick;
    Pacer pacer = new Pacer(startTick * interval);

    TickSampler sampler = new TickSampler(model, chipFrom, chipTo);
    Sample sample = new Sample();
    long samples = 0;
    long wallStart = System.nanoTime();
    long nextProgress = wallStart + PROGRESS_EVERY_NANOS;
    if (startTick < endTick) {
      gridIntensity(startTick * interval);
      sink.progress(startTick * interval, false);
    }
    long tick = startTick;
    for (; tick < endTick && !stopping(tick, interval); tick++) {
      if (tick != startTick && Math.floorMod(tick * interval, GridProfile.HOUR_MS) == 0) gridIntensity(tick * interval);
      sampler.tick(tick);
      boolean paced = stopAtMultipleOfMs == 0;
      for (int chip : byPhase) {
        if (!sampler.sample(chip, sample) || sentAlready.contains(sample)) continue;
        if (paced) pacer.await(sample.eventTimeMs);
        sink.accept(sample);
        samples++;
        if ((samples & (PUBLISH_EVERY - 1)) == 0) {
          liveSamples = samples;
          liveBehindNanos = pacer.behind;
        }
      }
      long tickEnd = (tick + 1) * interval;
      if (paced) pacer.await(tickEnd);
      sink.progress(tickEnd, tick + 1 == endTick);
      liveSamples = samples;
      liveBehindNanos = pacer.behind;
      liveTicks = tick + 1 - startTick;
      liveCompleteUntilMs = tickEnd;
      long now = System.nanoTime();
      if (now >= nextProgress) {
        progress.accept(stats(samples, tick + 1 - startTick, ticksTotal, tick + 1, now - wallStart, pacer.behind));
        nextProgress = now + PROGRESS_EVERY_NANOS;
      }
    }
    sink.flush();
    finished = true;
    return stats(samples, tick - startTick, ticksTotal, tick, System.nanoTime() - wallStart, pacer.behind);
  }

  /**
   * Each site's grid figures for the hour holding {@code timeMs}, ahead of the hour's samples: from shard 0 only, so a
   * sharded run writes each hour once.
   */
  private void gridIntensity(long timeMs) {
    if (plan.shard().index() != 0) return;
    for (int site = 0; site < model.config().sites().size(); site++) sink.gridIntensity(model.gridHour(site, timeMs));
  }

  /** Samples handed to the sink so far in this run (up to {@value #PUBLISH_EVERY} behind while a tick runs). */
  public long samplesSent() {
    return liveSamples;
  }

  /** Ticks whose every sample was sent, in this run. */
  public long ticksSent() {
    return liveTicks;
  }

  /** The event time every sample of the shard is sent up to (its last progress marker), or -1 before the first. */
  public long completeUntilMs() {
    return liveCompleteUntilMs;
  }

  /** How late the last paced send left against its schedule: 0 while the run keeps pace (and when unpaced). */
  public Duration behindSchedule() {
    return Duration.ofNanos(liveBehindNanos);
  }

  /** Whether {@link #run()} has returned. */
  public boolean finished() {
    return finished;
  }

  /** Chips of this run's shard. */
  public int shardChips() {
    FleetLayout layout = model.layout();
    int[] usRange = layout.shardRange(plan.shard().index(), plan.shard().count());
    return (usRange[1] - usRange[0]) * layout.chipsPerUltraserver();
  }

  public RunPlan plan() {
    return plan;
  }

  public FleetModel model() {
    return model;
  }

  private boolean stopping(long tick, long interval) {
    long boundary = stopAtMultipleOfMs;
    if (boundary > 0) return Math.floorMod(tick * interval, boundary) == 0;
    return stopRequested;
  }

  /** The shard's chips in the order they report within a tick: by phase, then by id. */
  private int[] chipsByPhase(int chipFrom, int chipTo) {
    long[] keyed = new long[chipTo - chipFrom];
    for (int chip = chipFrom; chip < chipTo; chip++) keyed[chip - chipFrom] = (model.phase(chip) << 32) | chip;
    Arrays.sort(keyed);
    return Arrays.stream(keyed).mapToInt(k -> (int) k).toArray();
  }

  /** Wall-clock pacing: event time t is due at anchor + (t - anchorEventTime) / speedup. */
  private final class Pacer {
    private final double nanosPerEventMs;
    private final long anchorNanos;
    private final long anchorEventMs;
    long behind;

    Pacer(long firstEventMs) {
      this.nanosPerEventMs = plan.speedup().unpaced() ? 0 : 1e6 / plan.speedup().factor();
      long now = System.nanoTime();
      if (plan.paceFrom() != null) {
        // The shared anchor: the plan's simulated start stands for this wall-clock instant, in every shard.
        this.anchorEventMs = plan.alignedStart(model).toEpochMilli();
        this.anchorNanos = now + (plan.paceFrom().toEpochMilli() - System.currentTimeMillis()) * 1_000_000L;
      } else {
        // Paced from now, from where this run starts (a resumed run carries on, it does not catch up).
        this.anchorEventMs = firstEventMs;
        this.anchorNanos = now;
      }
    }

    void await(long eventMs) {
      if (nanosPerEventMs == 0) return;
      long due = anchorNanos + (long) ((eventMs - anchorEventMs) * nanosPerEventMs);
      long wait = due - System.nanoTime();
      if (wait > SLACK_NANOS) {
        behind = 0;
        park(due);
      } else if (wait < 0) {
        behind = -wait;
      }
    }

    private void park(long deadline) {
      long left;
      while ((left = deadline - System.nanoTime()) > 0 && !stopRequested && stopAtMultipleOfMs == 0) {
        LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
  }

  private GeneratorStats stats(long samples, long done, long total, long simTick, long wallNanos, long behindNanos) {
    return new GeneratorStats(samples, done, total, Instant.ofEpochMilli(simTick * model.intervalMs()),
        Duration.ofNanos(wallNanos), Duration.ofNanos(behindNanos));
  }
}
