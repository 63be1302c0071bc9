package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.ProgressMarker;
import java.util.Arrays;

/**
 * The event time of one Kafka partition, as the partition itself vouches for it, and what its watermark may be.
 *
 * <p>Two sources of truth, in this order:
 * <ol>
 *   <li><b>Progress markers</b> ({@link ProgressMarker}): each shard of a producer promises that its samples for this
 *       partition stamped before {@code complete_until} are written. Once every shard of the latest marker's
 *       {@code shard_count} has promised, the partition is complete up to the least promise: the watermark is exactly
 *       that, so a window closes as soon as its last sample is in, with no out-of-orderness to wait out.
 *   <li><b>Samples</b>, without markers (real exporters) or when they stop for longer than the marker timeout: the
 *       partition's time is the {@value #QUORUM}-th highest latest event time among distinct chips, so fewer than
 *       {@value #QUORUM} chips with broken clocks cannot move it, and the watermark trails it by the bounded
 *       out-of-orderness.
 * </ol>
 * A sample stamped more than the skew bound ahead of the partition's time ({@link #isAhead}) is a broken clock: it is
 * set aside by the caller and never advances anything. It still counts towards the quorum, so when the whole stream
 * jumps (a producer restarted after a long pause) time follows once {@value #QUORUM} chips agree.
 *
 * <p>Not thread-safe; one instance per partition per source reader. Not checkpointed: it is rebuilt from the records
 * read after a restore, and {@link #seed} can give it a reference before the first of them is judged.
 */
public final class PartitionClock {

  /** How many distinct chips must agree before the partition's time moves. */
  public static final int QUORUM = 16;

  private final long outOfOrdernessMs;
  private final long markerTimeoutNanos;

  private final int[] topChips = new int[QUORUM];
  private final long[] topTimes = new long[QUORUM]; // descending
  private int top;

  private int shardCount;
  private long[] promised = new long[0];
  private boolean[] ended = new boolean[0];
  private int shardsPromised;
  private long fastestPromise = Long.MIN_VALUE;
  private long lastMarkerNanos;
  private boolean markers;

  private long seed = Long.MIN_VALUE;
  private boolean seedTried;

  public PartitionClock(long outOfOrdernessMs, long markerTimeoutNanos) {
    this.outOfOrdernessMs = outOfOrdernessMs;
    this.markerTimeoutNanos = markerTimeoutNanos;
  }

  /** Takes a chip's sample time into the quorum (a chip's time only moves forward). */
  public void observe(int chip, long eventTime) {
    for (int i = 0; i < top; i++) {
      if (topChips[i] == chip) {
        if (eventTime <= topTimes[i]) return;
        remove(i);
        insert(chip, eventTime);
        return;
      }
    }
    if (top < QUORUM) {
      insert(chip, eventTime);
    } else if (eventTime > topTimes[QUORUM - 1]) {
      top--;
      insert(chip, eventTime);
    }
  }

  private void remove(int i) {
    System.arraycopy(topChips, i + 1, topChips, i, top - i - 1);
    System.arraycopy(topTimes, i + 1, topTimes, i, top - i - 1);
    top--;
  }

  private void insert(int chip, long time) {
    int i = top;
    while (i > 0 && topTimes[i - 1] < time) {
      topChips[i] = topChips[i - 1];
      topTimes[i] = topTimes[i - 1];
      i--;
    }
    topChips[i] = chip;
    topTimes[i] = time;
    top++;
  }

  /** A producer shard's promise for this partition. */
  public void onMarker(ProgressMarker m, long nowNanos) {
    int count = m.getShardCount();
    int index = m.getShardIndex();
    if (count < 1 || index < 0 || index >= count) return;
    if (count != shardCount) {
      // A run with another shard count took over: only its shards' promises count from now on.
      shardCount = count;
      promised = new long[count];
      Arrays.fill(promised, Long.MIN_VALUE);
      ended = new boolean[count];
      shardsPromised = 0;
    }
    long until = m.getCompleteUntil().toEpochMilli();
    if (promised[index] == Long.MIN_VALUE) shardsPromised++;
    promised[index] = Math.max(promised[index], until);
    ended[index] = m.getEndOfRun();
    fastestPromise = Math.max(fastestPromise, until);
    lastMarkerNanos = nowNanos;
    markers = true;
  }

  /** Gives the clock a reference time before it has seen enough of its own records (read ahead in the partition). */
  public void seed(long reference) {
    seed = reference;
    seedTried = true;
  }

  /** Whether {@link #seed} was called, whatever it found: a partition is read ahead once at most. */
  public boolean seedTried() {
    return seedTried;
  }

  /** The {@value #QUORUM}-th highest chip time seen, or Long.MIN_VALUE before that many chips were seen. */
  public long quorumTime() {
    return top == QUORUM ? topTimes[QUORUM - 1] : Long.MIN_VALUE;
  }

  /** The partition's own event time: what "ahead" is measured from; Long.MIN_VALUE while unknown. */
  public long reference() {
    return Math.max(Math.max(quorumTime(), fastestPromise), seed);
  }

  /** Whether a sample is stamped more than {@code skewMs} ahead of the partition's own time (unknown: never). */
  public boolean isAhead(long eventTime, long skewMs) {
    long ref = reference();
    return ref != Long.MIN_VALUE && eventTime > ref + skewMs;
  }

  /** The watermark the partition vouches for now, or Long.MIN_VALUE. */
  public long watermark(long nowNanos) {
    if (markers && nowNanos - lastMarkerNanos <= markerTimeoutNanos) {
      if (shardsPromised < shardCount) return Long.MIN_VALUE;
      long least = Long.MAX_VALUE;
      for (long p : promised) least = Math.min(least, p);
      return least - 1;
    }
    long t = quorumTime();
    return t == Long.MIN_VALUE ? Long.MIN_VALUE : t - outOfOrdernessMs - 1;
  }

  /** True once every shard of the run said its last marker. */
  public boolean endOfRun() {
    if (!markers || shardsPromised < shardCount) return false;
    for (boolean e : ended) if (!e) return false;
    return true;
  }

  /** Whether this partition's watermark follows progress markers (else sample times). */
  public boolean followsMarkers(long nowNanos) {
    return markers && nowNanos - lastMarkerNanos <= markerTimeoutNanos;
  }
}
