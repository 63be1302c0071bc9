package io.fleetpulse.jobs;

import io.fleetpulse.schema.WindowMetrics;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The metrics pipeline, top to bottom: telemetry source (decoded and validated per record, watermarks per
 * partition from valid event times) -> dead letters aside -> key by UltraServer -> event-time tumbling window ->
 * metrics -> sinks. It takes its source and sinks as arguments: {@link FleetMetricsJob} wires Kafka and Parquet,
 * tests wire in-memory ones. Every operator has a stable uid, so savepoints survive changes around it.
 */
public final class MetricsPipeline {

  /** The pipeline's outputs; a null sink is simply not attached. */
  public record Sinks(
      Sink<WindowMetrics> ultraserverParquet,
      Sink<WindowMetrics> ultraserverKafka,
      Sink<DeadLetter> deadLetters) {}

  /** The settings the pipeline's shape depends on. */
  public record Settings(
      Duration window,
      Duration maxOutOfOrderness,
      Duration allowedLateness,
      Duration idleTimeout,
      MetricFactors factors) {

    public static Settings from(JobConfig cfg, MetricFactors factors) {
      return new Settings(cfg.get(JobOptions.WINDOW), cfg.get(JobOptions.MAX_OUT_OF_ORDERNESS),
          cfg.get(JobOptions.ALLOWED_LATENESS), cfg.get(JobOptions.IDLE_TIMEOUT), factors);
    }
  }

  static final OutputTag<ChipReading> LATE = new OutputTag<>("late-readings") {};

  private final Source<TelemetryRecord, ?, ?> source;
  private final Sinks sinks;
  private final Settings settings;

  public MetricsPipeline(Source<TelemetryRecord, ?, ?> source, Sinks sinks, Settings settings) {
    this.source = source;
    this.sinks = sinks;
    this.settings = settings;
  }

  /** Adds the pipeline to the environment; returns the UltraServer window stream. */
  public DataStream<WindowMetrics> build(StreamExecutionEnvironment env) {
    WatermarkStrategy<TelemetryRecord> watermarks = WatermarkStrategy
        .<TelemetryRecord>forBoundedOutOfOrderness(settings.maxOutOfOrderness())
        .withTimestampAssigner((record, kafkaTimestamp) -> record.eventTime())
        .withIdleness(settings.idleTimeout());

    DataStream<TelemetryRecord> telemetry = env
        .fromSource(source, watermarks, "telemetry-source")
        .uid("telemetry-source");

    SingleOutputStreamOperator<ChipReading> readings = telemetry
        .process(new RouteInvalid())
        .name("route-invalid")
        .uid("route-invalid");

    SingleOutputStreamOperator<WindowMetrics> ultraserverWindows = readings
        .keyBy(ChipReading::getUltraserverId)
        .window(TumblingEventTimeWindows.of(settings.window()))
        .allowedLateness(settings.allowedLateness())
        .sideOutputLateData(LATE)
        .aggregate(new UltraServerAggregate(), new UltraServerWindowFunction(settings.factors()))
        .name("ultraserver-window")
        .uid("ultraserver-window");

    SingleOutputStreamOperator<WindowMetrics> tracked = ultraserverWindows
        .map(new EventTimeProgress())
        .name("event-time-progress")
        .uid("event-time-progress");

    DataStream<DeadLetter> late = ultraserverWindows.getSideOutput(LATE)
        .map(new LateReadingToDeadLetter())
        .name("late-to-dead-letter")
        .uid("late-to-dead-letter");

    if (sinks.deadLetters() != null) {
      readings.getSideOutput(RouteInvalid.DEAD_LETTERS).union(late)
          .sinkTo(sinks.deadLetters())
          .name("dead-letter-sink")
          .uid("dead-letter-sink");
    }
    if (sinks.ultraserverParquet() != null) {
      tracked.sinkTo(sinks.ultraserverParquet())
          .name("parquet-ultraserver-window")
          .uid("parquet-ultraserver-window");
    }
    if (sinks.ultraserverKafka() != null) {
      tracked.sinkTo(sinks.ultraserverKafka())
          .name("kafka-metrics-ultraserver")
          .uid("kafka-metrics-ultraserver");
    }
    return tracked;
  }
}
