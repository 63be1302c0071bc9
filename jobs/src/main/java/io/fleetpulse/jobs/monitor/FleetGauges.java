package io.fleetpulse.jobs.monitor;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The latest window of each site, each generation and the fleet as Flink gauges, for any metrics reporter (Prometheus
 * among them): {@code fleetpulse.site.<gauge>} with the variable {@code site}, {@code fleetpulse.generation.<gauge>}
 * with {@code generation}, and {@code fleetpulse.fleet.<gauge>}; the gauges are {@link WindowGauges#GAUGES}.
 *
 * <p>A sink on the roll-up stream, at parallelism 1, so every group's gauges live on one subtask: a few records a
 * minute reach it, whatever the fleet's size. A group's gauges are registered when its first window arrives (absent
 * before, and again after a restart until the next window), and move only forward: a window that comes again (a
 * replay) replaces the group's latest if it is that window, never a newer one. Nothing is per UltraServer or
 * per chip: the series are (sites + generations + 1) x the gauges, bounded by the fleet config, not by the fleet's
 * size (docs/monitoring.md says why).
 */
public final class FleetGauges implements Sink<WindowMetrics> {

  private static final long serialVersionUID = 1L;
  public static final String GROUP = "fleetpulse";

  @Override
  public SinkWriter<WindowMetrics> createWriter(WriterInitContext context) {
    return new Writer(context.metricGroup().addGroup(GROUP));
  }

  /** Keeps each group's latest window and registers its gauges on {@code group} the first time it sees it. */
  public static final class Writer implements SinkWriter<WindowMetrics> {
    private final MetricGroup group;
    private final Map<String, Latest> latest = new HashMap<>();

    public Writer(MetricGroup group) {
      this.group = group;
    }

    @Override
    public void write(WindowMetrics m, Context context) {
      AggregationLevel level = m.getLevel();
      // Thousands of workloads would be thousands of series: workloads are for the lake and the topic.
      if (level == AggregationLevel.ULTRASERVER || level == AggregationLevel.WORKLOAD) return;
      String name = switch (level) {
        case SITE -> m.getSite();
        case GENERATION -> m.getGeneration();
        case TENANT -> m.getTenant();
        default -> "fleet";
      };
      String key = level + "|" + name;
      Latest l = latest.get(key);
      if (l != null) {
        l.offer(m);
        return;
      }
      // The first window goes in before the gauges exist: a gauge never reads an empty group.
      l = new Latest();
      l.offer(m);
      latest.put(key, l);
      register(level, name, l);
    }

    private void register(AggregationLevel level, String name, Latest l) {
      MetricGroup g = switch (level) {
        case SITE -> group.addGroup("site", name);
        case GENERATION -> group.addGroup("generation", name);
        case TENANT -> group.addGroup("tenant", name);
        default -> group.addGroup("fleet");
      };
      for (WindowGauges.Gauge gauge : WindowGauges.GAUGES) {
        g.gauge(gauge.name(), (Gauge<Double>) () -> gauge.value().applyAsDouble(l.window));
      }
    }

    /** The group's latest window, as its gauges read it; null (never read) before the first window. */
    public WindowGauges latest(AggregationLevel level, String name) {
      Latest l = latest.get(level + "|" + (level == AggregationLevel.FLEET ? "fleet" : name));
      return l == null ? null : l.window;
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public void close() {}
  }

  /** Written by the task thread, read by the reporter's: one volatile reference to an immutable value. */
  private static final class Latest {
    volatile WindowGauges window;

    void offer(WindowMetrics m) {
      WindowGauges current = window;
      if (current == null || m.getWindowStart().toEpochMilli() >= current.windowStartMs()) {
        window = WindowGauges.of(m);
      }
    }
  }
}
