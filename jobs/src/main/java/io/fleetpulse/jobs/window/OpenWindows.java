package io.fleetpulse.jobs.window;

import java.util.Arrays;

/**
 * The windows of one UltraServer that can still take samples: usually one, two around a window's end, a few more
 * with allowed lateness (a window stays open for it past its end). Arrays, not a map: a handful of entries searched in order beat a hash table, and Flink's
 * POJO serializer keeps them in keyed state without Kryo.
 */
public class OpenWindows {
  public long[] starts = new long[0];
  public UltraServerAccumulator[] accumulators = new UltraServerAccumulator[0];
  /** Per window: whether it has been emitted (it is then removed; kept so checkpoints of earlier builds restore). */
  public boolean[] fired = new boolean[0];

  public OpenWindows() {}

  int indexOf(long start) {
    for (int i = 0; i < starts.length; i++) if (starts[i] == start) return i;
    return -1;
  }

  int add(long start, UltraServerAccumulator acc) {
    int n = starts.length;
    starts = Arrays.copyOf(starts, n + 1);
    accumulators = Arrays.copyOf(accumulators, n + 1);
    fired = Arrays.copyOf(fired, n + 1);
    starts[n] = start;
    accumulators[n] = acc;
    return n;
  }

  void remove(int i) {
    int n = starts.length - 1;
    starts[i] = starts[n];
    accumulators[i] = accumulators[n];
    fired[i] = fired[n];
    starts = Arrays.copyOf(starts, n);
    accumulators = Arrays.copyOf(accumulators, n);
    fired = Arrays.copyOf(fired, n);
  }

  boolean isEmpty() {
    return starts.length == 0;
  }
}
