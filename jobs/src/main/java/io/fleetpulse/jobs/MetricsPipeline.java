package io.fleetpulse.jobs;

import io.fleetpulse.jobs.alerts.AlertRules;
import io.fleetpulse.jobs.alerts.StragglerDetector;
import io.fleetpulse.jobs.alerts.UltraServerHealthDetector;
import io.fleetpulse.jobs.carbon.GridInput;
import io.fleetpulse.jobs.carbon.GridIntensityJoin;
import io.fleetpulse.jobs.carbon.HourlyGrid;
import io.fleetpulse.jobs.carbon.RouteInvalidGrid;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.monitor.FleetGauges;
import io.fleetpulse.jobs.rollup.LocalRollUp;
import io.fleetpulse.jobs.rollup.RollUpAccumulator;
import io.fleetpulse.jobs.rollup.RollUpAggregate;
import io.fleetpulse.jobs.rollup.RollUpWindowFunction;
import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.jobs.source.ProgressWatermarks;
import io.fleetpulse.jobs.source.RouteInvalid;
import io.fleetpulse.jobs.source.TelemetryDecoder;
import io.fleetpulse.jobs.source.TelemetryRecord;
import io.fleetpulse.jobs.source.WithinRun;
import io.fleetpulse.jobs.window.ChipWindowStats;
import io.fleetpulse.jobs.window.EventTimeProgress;
import io.fleetpulse.jobs.window.FireOnceAfterLateness;
import io.fleetpulse.jobs.window.ReadingToDeadLetter;
import io.fleetpulse.jobs.window.UltraServerWindows;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.WindowMetrics;
import io.fleetpulse.schema.WorkloadKind;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The metrics pipeline, top to bottom: telemetry source (decoded and validated per record, watermarks per partition
 * from what the partition vouches for) -> dead letters aside -> key by UltraServer -> late and duplicate readings
 * aside (every other one counts once) -> event-time tumbling window ->
 * UltraServer metrics -> carbon at the hourly grid intensity of each window's site and hour (an event-time join
 * with the grid-intensity stream, when there is one) -> roll-ups to site, generation, fleet, workload and tenant (from UltraServer windows, never raw samples:
 * summed per site and generation on each subtask first, then per group) ->
 * alerts from the per-chip view of each UltraServer window -> sinks, and the roll-ups' latest windows as metric
 * gauges ({@link FleetGauges}); every level's windows summed again into hours, and the groups' hours into UTC days
 * (the *_hour and *_day tables). It takes its source and sinks as arguments:
 * {@link FleetMetricsJob} wires Kafka and Parquet, tests wire in-memory ones. Every operator has a stable uid, so
 * savepoints survive changes around it.
 */
public final class MetricsPipeline {

  /** The pipeline's outputs; an absent sink is simply not attached. */
  public record Sinks(
      Map<AggregationLevel, Sink<WindowMetrics>> windowTables,
      Map<AggregationLevel, Sink<WindowMetrics>> windowTopics,
      Sink<Alert> alertTable,
      Sink<Alert> alertTopic,
      Sink<DeadLetter> deadLetters,
      Sink<ChipReading> rawArchive,
      Map<AggregationLevel, Sink<WindowMetrics>> hourTables,
      Map<AggregationLevel, Sink<WindowMetrics>> dayTables) {

    public Sinks(Map<AggregationLevel, Sink<WindowMetrics>> windowTables,
        Map<AggregationLevel, Sink<WindowMetrics>> windowTopics, Sink<Alert> alertTable, Sink<Alert> alertTopic,
        Sink<DeadLetter> deadLetters, Sink<ChipReading> rawArchive) {
      this(windowTables, windowTopics, alertTable, alertTopic, deadLetters, rawArchive, Map.of(), Map.of());
    }

    public static Sinks none() {
      return new Sinks(Map.of(), Map.of(), null, null, null, null);
    }

    /** The hourly table of a level (*_hour): the sums of its windows of each hour. */
    public Sinks hourTable(AggregationLevel level, Sink<WindowMetrics> sink) {
      return new Sinks(windowTables, windowTopics, alertTable, alertTopic, deadLetters, rawArchive,
          with(hourTables, level, sink), dayTables);
    }

    /** The daily table of a level (*_day; not for ULTRASERVER): the sums of its hours of each UTC day. */
    public Sinks dayTable(AggregationLevel level, Sink<WindowMetrics> sink) {
      return new Sinks(windowTables, windowTopics, alertTable, alertTopic, deadLetters, rawArchive, hourTables,
          with(dayTables, level, sink));
    }

    private static Map<AggregationLevel, Sink<WindowMetrics>> with(Map<AggregationLevel, Sink<WindowMetrics>> m,
        AggregationLevel level, Sink<WindowMetrics> sink) {
      Map<AggregationLevel, Sink<WindowMetrics>> copy = new EnumMap<>(AggregationLevel.class);
      copy.putAll(m);
      copy.put(level, sink);
      return copy;
    }

    public Sinks windowTable(AggregationLevel level, Sink<WindowMetrics> sink) {
      Map<AggregationLevel, Sink<WindowMetrics>> m = new EnumMap<>(AggregationLevel.class);
      m.putAll(windowTables);
      m.put(level, sink);
      return new Sinks(m, windowTopics, alertTable, alertTopic, deadLetters, rawArchive, hourTables, dayTables);
    }

    public Sinks windowTopic(AggregationLevel level, Sink<WindowMetrics> sink) {
      Map<AggregationLevel, Sink<WindowMetrics>> m = new EnumMap<>(AggregationLevel.class);
      m.putAll(windowTopics);
      m.put(level, sink);
      return new Sinks(windowTables, m, alertTable, alertTopic, deadLetters, rawArchive, hourTables, dayTables);
    }

    public Sinks alerts(Sink<Alert> table, Sink<Alert> topic) {
      return new Sinks(windowTables, windowTopics, table, topic, deadLetters, rawArchive, hourTables, dayTables);
    }

    public Sinks deadLetters(Sink<DeadLetter> sink) {
      return new Sinks(windowTables, windowTopics, alertTable, alertTopic, sink, rawArchive, hourTables, dayTables);
    }

    public Sinks rawArchive(Sink<ChipReading> sink) {
      return new Sinks(windowTables, windowTopics, alertTable, alertTopic, deadLetters, sink, hourTables, dayTables);
    }
  }

  /**
   * The settings the pipeline's shape depends on. {@code sampleInterval} is the shortest time between two samples of
   * one chip (the fleet's interval when samples are checked against its layout): a chip counts once per interval, a
   * second sample for it is a duplicate. {@code runStart} and {@code runEnd}, when set, bound the event time the job
   * processes (--start, --start + --duration): samples outside [runStart, runEnd) are counted and left out, so a run
   * stopped at its end writes no window after it, even when it drains.
   */
  public record Settings(
      Duration window,
      Duration sampleInterval,
      Duration allowedLateness,
      Duration idleTimeout,
      MetricFactors factors,
      AlertRules alertRules,
      Instant runStart,
      Instant runEnd) {

    public Settings(Duration window, Duration sampleInterval, Duration allowedLateness, Duration idleTimeout,
        MetricFactors factors) {
      this(window, sampleInterval, allowedLateness, idleTimeout, factors, JobConfig.defaults().alertRules());
    }

    public Settings(Duration window, Duration sampleInterval, Duration allowedLateness, Duration idleTimeout,
        MetricFactors factors, AlertRules alertRules) {
      this(window, sampleInterval, allowedLateness, idleTimeout, factors, alertRules, null, null);
    }

    public static Settings from(JobConfig cfg, MetricFactors factors) {
      Instant start = cfg.start();
      Instant end = start != null && cfg.isSet(JobOptions.DURATION) ? start.plus(cfg.get(JobOptions.DURATION)) : null;
      Duration interval = cfg.checksTopology() ? cfg.fleetConfig().fleet().interval()
          : Duration.ofMillis(TelemetryDecoder.MIN_INTERVAL_MS);
      return new Settings(cfg.get(JobOptions.WINDOW), interval, cfg.get(JobOptions.ALLOWED_LATENESS),
          cfg.get(JobOptions.IDLE_TIMEOUT), factors, cfg.alertRules(), start, end);
    }
  }

  private final Source<TelemetryRecord, ?, ?> source;
  private final Sinks sinks;
  private final Settings settings;
  private Source<GridInput, ?, ?> gridSource;
  private Duration gridWait = Duration.ZERO;

  public MetricsPipeline(Source<TelemetryRecord, ?, ?> source, Sinks sinks, Settings settings) {
    this.source = source;
    this.sinks = sinks;
    this.settings = settings;
  }

  /**
   * Prices each UltraServer window's carbon with the hourly grid intensity of its site from {@code grid} (bad records
   * to the dead letters), a window waiting at most {@code wait} past its end for its hour's figures. Without this
   * call, windows keep the annual factors.
   */
  public MetricsPipeline withGridIntensity(Source<GridInput, ?, ?> grid, Duration wait) {
    this.gridSource = grid;
    this.gridWait = wait;
    return this;
  }

  /** Adds the pipeline to the environment; returns the UltraServer window stream. */
  public DataStream<WindowMetrics> build(StreamExecutionEnvironment env) {
    // Each partition's watermark is what its records vouch for (progress markers, or the time 16 chips agree on),
    // never one sample's own stamp: see TelemetryReader.
    WatermarkStrategy<TelemetryRecord> watermarks = WatermarkStrategy
        .<TelemetryRecord>forGenerator(ctx -> new ProgressWatermarks())
        .withTimestampAssigner((record, kafkaTimestamp) -> record.eventTime())
        .withIdleness(settings.idleTimeout());

    DataStream<TelemetryRecord> telemetry = env
        .fromSource(source, watermarks, "telemetry-source")
        .uid("telemetry-source");

    SingleOutputStreamOperator<ChipReading> valid = telemetry
        .process(new RouteInvalid())
        .name("route-invalid")
        .uid("route-invalid");
    DataStream<ChipReading> readings = settings.runStart() == null ? valid : valid
        .filter(new WithinRun(settings.runStart().toEpochMilli(),
            settings.runEnd() == null ? Long.MAX_VALUE : settings.runEnd().toEpochMilli()))
        .name("within-run")
        .uid("within-run");

    // Each UltraServer's windows, and what counts in them: no late sample, no chip twice per interval; the raw
    // archive gets exactly what the windows counted.
    SingleOutputStreamOperator<WindowMetrics> ultraserverWindows = readings
        .keyBy(ChipReading::getUltraserverId)
        .process(new UltraServerWindows(settings.window().toMillis(), settings.sampleInterval().toMillis(),
            settings.allowedLateness().toMillis(), sinks.rawArchive() != null, settings.factors()))
        .name("ultraserver-window")
        .uid("ultraserver-window");

    // Each window's carbon at the grid intensity of its hour (keyed by site; the windows' event time decides).
    DataStream<WindowMetrics> priced = ultraserverWindows;
    DataStream<DeadLetter> badGrid = null;
    if (gridSource != null) {
      SingleOutputStreamOperator<HourlyGrid> grid = env
          .fromSource(gridSource, WatermarkStrategy.noWatermarks(), "grid-intensity-source")
          .uid("grid-intensity-source")
          .process(new RouteInvalidGrid())
          .name("route-invalid-grid-intensity")
          .uid("route-invalid-grid-intensity");
      badGrid = grid.getSideOutput(RouteInvalidGrid.DEAD_LETTERS);
      priced = ultraserverWindows
          .connect(grid)
          .keyBy(WindowMetrics::getSite, g -> g.site, Types.STRING)
          .transform("grid-intensity-join", TypeInformation.of(WindowMetrics.class),
              new GridIntensityJoin(gridWait.toMillis(), settings.factors().gpuReferenceUsdPerPflop()))
          .uid("grid-intensity-join");
    }

    SingleOutputStreamOperator<WindowMetrics> ultraservers = priced
        .transform("event-time-progress", TypeInformation.of(WindowMetrics.class),
            new EventTimeProgress(settings.window().toMillis()))
        .uid("event-time-progress");

    SingleOutputStreamOperator<RollUpAccumulator> cells = ultraservers
        .transform("local-roll-up", TypeInformation.of(RollUpAccumulator.class), new LocalRollUp())
        .uid("local-roll-up");
    DataStream<WindowMetrics> rollUps = rollUp(cells, "roll-up-window")
        .union(rollUp(cells.getSideOutput(LocalRollUp.ATTRIBUTED), "attribution-roll-up-window"));

    DataStream<ChipWindowStats> chipStats = ultraserverWindows.getSideOutput(UltraServerWindows.CHIP_STATS);
    DataStream<Alert> healthAlerts = chipStats
        .keyBy(s -> s.ultraserverId)
        .process(new UltraServerHealthDetector(settings.alertRules(), settings.factors(),
            settings.allowedLateness().toMillis()))
        .name("ultraserver-health-alerts")
        .uid("ultraserver-health-alerts");
    DataStream<Alert> stragglerAlerts = chipStats
        .filter(s -> s.workloadKind == WorkloadKind.TRAINING.ordinal() && s.workloadId >= 0)
        .name("training-windows")
        .uid("training-windows")
        .keyBy(s -> s.workloadId)
        .process(new StragglerDetector(settings.alertRules(), settings.factors(), settings.allowedLateness().toMillis()))
        .name("straggler-alerts")
        .uid("straggler-alerts");
    DataStream<Alert> alerts = healthAlerts.union(stragglerAlerts);

    DataStream<DeadLetter> late = ultraserverWindows.getSideOutput(UltraServerWindows.LATE)
        .map(new ReadingToDeadLetter(DeadLetterReason.LATE))
        .name("late-to-dead-letter")
        .uid("late-to-dead-letter");
    DataStream<DeadLetter> duplicates = ultraserverWindows.getSideOutput(UltraServerWindows.DUPLICATES)
        .map(new ReadingToDeadLetter(DeadLetterReason.DUPLICATE))
        .name("duplicates-to-dead-letter")
        .uid("duplicates-to-dead-letter");

    attachWindowSinks(AggregationLevel.ULTRASERVER, ultraservers);
    for (AggregationLevel level : new AggregationLevel[] {
        AggregationLevel.SITE, AggregationLevel.GENERATION, AggregationLevel.FLEET, AggregationLevel.WORKLOAD,
        AggregationLevel.TENANT}) {
      String name = level.name().toLowerCase(Locale.ROOT);
      attachWindowSinks(level, rollUps.filter(m -> m.getLevel() == level).name(name + "-windows").uid(name + "-windows"));
    }
    // The latest window of each site, generation, tenant and the fleet as gauges, for Prometheus
    // (docs/monitoring.md): one subtask, a few records a minute (workloads are too many to be series).
    downsample(ultraservers.union(rollUps), settings.factors().gpuReferenceUsdPerPflop());
    rollUps
        .filter(m -> m.getLevel() != AggregationLevel.WORKLOAD)
        .name("gauge-windows")
        .uid("gauge-windows")
        .sinkTo(new FleetGauges()).name("fleet-gauges").uid("fleet-gauges").setParallelism(1);
    attach(alerts, sinks.alertTable(), "parquet-alerts");
    attach(alerts, sinks.alertTopic(), "kafka-alerts");
    DataStream<DeadLetter> deadLetters = valid.getSideOutput(RouteInvalid.DEAD_LETTERS).union(late, duplicates);
    attach(badGrid == null ? deadLetters : deadLetters.union(badGrid), sinks.deadLetters(), "dead-letter-sink");
    if (sinks.rawArchive() != null) {
      attach(ultraserverWindows.getSideOutput(UltraServerWindows.COUNTED), sinks.rawArchive(),
          "parquet-chip-telemetry");
    }
    return ultraservers;
  }

  /**
   * The hour of every level from its minute windows, and the UTC day of every level above the UltraServer from its
   * hours: the same sums added again (sketches merged), so each coarser row is exactly the sum of its finer rows
   * and long ranges read a few rows. Nothing is attached when no hour or day table is asked for.
   */
  private void downsample(DataStream<WindowMetrics> minutes, double gpuReferenceUsdPerPflop) {
    if (sinks.hourTables().isEmpty() && sinks.dayTables().isEmpty()) return;
    SingleOutputStreamOperator<WindowMetrics> hours = coarser(minutes, Duration.ofHours(1), "hour",
        gpuReferenceUsdPerPflop);
    for (var e : sinks.hourTables().entrySet()) attach(level(hours, e.getKey(), "hour"), e.getValue(), table(e.getKey(), "hour"));
    if (sinks.dayTables().isEmpty()) return;
    DataStream<WindowMetrics> groupHours = hours
        .filter(m -> m.getLevel() != AggregationLevel.ULTRASERVER)
        .name("group-hours")
        .uid("group-hours");
    SingleOutputStreamOperator<WindowMetrics> days = coarser(groupHours, Duration.ofDays(1), "day",
        gpuReferenceUsdPerPflop);
    for (var e : sinks.dayTables().entrySet()) attach(level(days, e.getKey(), "day"), e.getValue(), table(e.getKey(), "day"));
  }

  /** A keyed window adding the cells of each group into its window's row. */
  private SingleOutputStreamOperator<WindowMetrics> rollUp(DataStream<RollUpAccumulator> cells, String name) {
    return afterLateness(cells
        .keyBy(RollUpAccumulator::getKey)
        .window(TumblingEventTimeWindows.of(settings.window())))
        .aggregate(new RollUpAggregate(), new RollUpWindowFunction(settings.factors().gpuReferenceUsdPerPflop()))
        .name(name)
        .uid(name);
  }

  private SingleOutputStreamOperator<WindowMetrics> coarser(DataStream<WindowMetrics> finer, Duration size,
      String grain, double gpuReferenceUsdPerPflop) {
    return afterLateness(finer
        .map(RollUpAccumulator::partOf)
        .name("to-" + grain + "-part")
        .uid("to-" + grain + "-part")
        .keyBy(RollUpAccumulator::getKey)
        .window(TumblingEventTimeWindows.of(size)))
        .aggregate(new RollUpAggregate(), new RollUpWindowFunction(gpuReferenceUsdPerPflop, false))
        .name(grain + "-window")
        .uid(grain + "-window");
  }

  /**
   * With allowed lateness, an UltraServer window goes out only when its lateness is over, and so do the rows made
   * from it: a window over them fires once, that much after its own end, and takes them as on time until then.
   */
  private <K> WindowedStream<RollUpAccumulator, K, TimeWindow> afterLateness(
      WindowedStream<RollUpAccumulator, K, TimeWindow> windows) {
    Duration lateness = settings.allowedLateness();
    if (lateness.isZero()) return windows;
    return windows.allowedLateness(lateness).trigger(new FireOnceAfterLateness(lateness.toMillis()));
  }

  private static DataStream<WindowMetrics> level(DataStream<WindowMetrics> windows, AggregationLevel level,
      String grain) {
    String name = level.name().toLowerCase(Locale.ROOT) + "-" + grain + "s";
    return windows.filter(m -> m.getLevel() == level).name(name).uid(name);
  }

  private static String table(AggregationLevel level, String grain) {
    return "parquet-" + level.name().toLowerCase(Locale.ROOT) + "-" + grain;
  }

  private void attachWindowSinks(AggregationLevel level, DataStream<WindowMetrics> windows) {
    String name = level.name().toLowerCase(Locale.ROOT);
    attach(windows, sinks.windowTables().get(level), "parquet-" + name + "-window");
    attach(windows, sinks.windowTopics().get(level), "kafka-metrics-" + name);
  }

  private static <T> void attach(DataStream<T> stream, Sink<T> sink, String name) {
    if (sink != null) stream.sinkTo(sink).name(name).uid(name);
  }
}
