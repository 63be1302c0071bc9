package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** One counter per dead-letter reason, {@code <prefix><REASON>}, registered up front so every reason shows at 0. */
public final class DeadLetterCounters {

  private final Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);

  /** Counters for every reason but {@code except} (those a router never sees). */
  public DeadLetterCounters(MetricGroup group, String prefix, DeadLetterReason... except) {
    java.util.Set<DeadLetterReason> skip = java.util.Set.of(except);
    for (DeadLetterReason r : DeadLetterReason.values()) {
      if (!skip.contains(r)) counters.put(r, group.counter(prefix + r.name()));
    }
  }

  public void count(DeadLetterReason reason) {
    counters.get(reason).inc();
  }
}
