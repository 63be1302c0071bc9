package io.fleetpulse.jobs.config;

import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every option of the metrics job, in one place: the ones it shares with other commands ({@link SharedOptions},
 * re-exported here so the job's code reads them by one name) and its own. {@link JobCli} builds the flags, their
 * environment variables and {@code --help} from {@link #ALL}; docs/options.md is generated from them.
 */
public final class JobOptions {

  private JobOptions() {}

  /** How window results reach Kafka. */
  public enum Delivery {
    AT_LEAST_ONCE,
    EXACTLY_ONCE
  }

  /** Where the telemetry source starts when the job starts without a savepoint. */
  public enum StartingOffsets {
    COMMITTED,
    EARLIEST,
    LATEST
  }

  public static final Opt<String> BOOTSTRAP_SERVERS = SharedOptions.BOOTSTRAP_SERVERS;
  public static final Opt<Map<String, String>> KAFKA_PROPERTY = SharedOptions.KAFKA_PROPERTY;
  public static final Opt<String> DATA = SharedOptions.DATA;
  public static final Opt<Path> CONFIG = SharedOptions.CONFIG;
  public static final Opt<Integer> CHIPS = SharedOptions.CHIPS;
  public static final Opt<String> INTERVAL = SharedOptions.INTERVAL;
  public static final Opt<Map<String, String>> SET = SharedOptions.SET;
  public static final Opt<String> TELEMETRY_TOPIC = SharedOptions.TELEMETRY_TOPIC;
  public static final Opt<String> GRID_INTENSITY_TOPIC = SharedOptions.GRID_INTENSITY_TOPIC;
  public static final Opt<String> ALERTS_TOPIC = SharedOptions.ALERTS_TOPIC;
  public static final Opt<Duration> CHECKPOINT_INTERVAL = SharedOptions.CHECKPOINT_INTERVAL;
  public static final Opt<Boolean> FRESH = SharedOptions.FRESH;
  public static final Opt<Boolean> RAW_ARCHIVE = SharedOptions.RAW_ARCHIVE;
  public static final Opt<Integer> PARALLELISM = SharedOptions.PARALLELISM;
  public static final Opt<Integer> PARTITIONS = SharedOptions.PARTITIONS;
  public static final Opt<Integer> REPLICATION = SharedOptions.REPLICATION;
  public static final Opt<Instant> START = SharedOptions.START;
  public static final Opt<Duration> DURATION = SharedOptions.DURATION;

  public static final Opt<String> DEAD_LETTER_TOPIC = Opt.string("dead-letter-topic", "TOPIC").defaultValue(Topics.DEAD_LETTER)
      .describe("Topic for records the job cannot use: original bytes, reason in headers.");

  public static final Opt<String> ULTRASERVER_TOPIC = Opt.string("ultraserver-topic", "TOPIC").defaultValue(Topics.METRICS_ULTRASERVER)
      .describe("Topic for UltraServer window metrics (key: UltraServer id).");

  public static final Opt<String> SITE_TOPIC = Opt.string("site-topic", "TOPIC").defaultValue(Topics.METRICS_SITE)
      .describe("Topic for site window metrics (key: site id).");

  public static final Opt<String> FLEET_TOPIC = Opt.string("fleet-topic", "TOPIC").defaultValue(Topics.METRICS_FLEET)
      .describe("Topic for fleet window metrics (key: fleet) and per-generation ones (key: generation id).");

  public static final Opt<String> WORKLOAD_TOPIC = Opt.string("workload-topic", "TOPIC")
      .defaultValue(Topics.METRICS_WORKLOAD)
      .describe("Topic for workload window metrics (key: workload name), for chargeback.");

  public static final Opt<String> TENANT_TOPIC = Opt.string("tenant-topic", "TOPIC").defaultValue(Topics.METRICS_TENANT)
      .describe("Topic for tenant window metrics (key: tenant id): the dashboard's tenant view.");

  public static final Opt<String> GROUP_ID = Opt.string("group-id", "GROUP").defaultValue("fleetpulse-metrics")
      .describe("Kafka consumer group; offsets are committed on each completed checkpoint.");

  public static final Opt<StartingOffsets> STARTING_OFFSETS = Opt.choice("starting-offsets", StartingOffsets.class)
      .defaultValue(StartingOffsets.COMMITTED)
      .describe("Where to start without a savepoint: committed (the group's offsets, else earliest), earliest or "
          + "latest.");

  public static final Opt<Boolean> BOUNDED = Opt.bool("bounded").defaultValue(false)
      .describe("Read only up to the topic's end offsets as of job start, then finish: a backfill. Every "
          + "window is emitted and committed before the job ends.");

  public static final Opt<Duration> WINDOW = Opt.duration("window").defaultValue(Duration.ofMinutes(1))
      .describe("Event-time tumbling window size; must be a whole number of sample intervals.");

  public static final Opt<Duration> MAX_OUT_OF_ORDERNESS = Opt.duration("max-out-of-orderness").defaultValue(Duration.ofSeconds(15))
      .describe("How far behind the newest event time of a partition a sample may arrive and still "
          + "count. Must exceed the sample interval (chips sample out of step within an interval).");

  public static final Opt<Duration> ALLOWED_LATENESS = Opt.duration("allowed-lateness").defaultValue(Duration.ZERO)
      .describe("Extra time a window stays open for stragglers after the watermark passed its end; it is "
          + "emitted once, final, when that time is over (every output comes that much later). Samples later than "
          + "that go to the dead-letter topic with reason LATE.");

  public static final Opt<Duration> GRID_INTENSITY_WAIT = Opt.duration("grid-intensity-wait")
      .defaultValue(Duration.ofSeconds(10))
      .describe("How long past its end (event time, and at most as long in wall-clock time) an UltraServer window "
          + "waits for the grid intensity of its site and hour before it keeps the annual factors (factors_used says "
          + "which). While a window waits, the roll-ups wait with it. When nothing writes the grid topic, pass "
          + "--grid-intensity-topic= (empty) to keep the annual factors without waiting.");

  public static final Opt<Duration> IDLE_TIMEOUT = Opt.duration("idle-timeout").defaultValue(Duration.ofMinutes(1))
      .describe("A partition without records for this long (wall clock) stops holding back the watermark; a "
          + "partition whose progress markers pause this long falls back to sample times.");

  public static final Opt<Duration> MAX_EVENT_TIME_SKEW = Opt.duration("max-event-time-skew").defaultValue(Duration.ofMinutes(5))
      .describe("How far ahead of its partition's own event time (the time at least 16 chips agree on, or the "
          + "producers' progress markers) a sample may be stamped. Further ahead is a broken clock: the sample goes "
          + "to the dead-letter topic as FUTURE and never moves a watermark. Measured against the stream, not the "
          + "wall clock, so replays of old days and fast --speedup runs are not affected.");

  public static final Opt<Boolean> CHECK_TOPOLOGY = Opt.bool("check-topology").defaultValue(null)
      .defaultText("true when the fleet is described (--config, --chips, --interval or --set), else false")
      .describe("Check each sample's chip, instance, UltraServer, site, generation and interval against the "
          + "fleet layout the generator was given (--config, --chips, --interval, --set): a sample outside the "
          + "fleet, or filed under the wrong UltraServer, goes to the dead-letter topic. Without a layout ids are only "
          + "checked for range.");

  public static final Opt<Integer> MAX_DEAD_LETTER_BYTES = Opt.integer("max-dead-letter-bytes").defaultValue(128 * 1024)
      .describe("Bytes of a bad record's original value kept in its dead letter; beyond that the value is cut "
          + "and the header fleetpulse.dlq.truncated says how long it was, so every dead letter fits Kafka's limits.");

  public static final Opt<String> CHECKPOINT_DIR = Opt.string("checkpoint-dir", "PATH").defaultText("<data>/_checkpoints")
      .describe("Durable location of checkpoints and savepoints (path or URI, e.g. s3://...).");

  public static final Opt<String> RESTORE_FROM = Opt.string("restore-from", "PATH").defaultText("the newest under --checkpoint-dir")
      .describe("A savepoint or retained checkpoint (its folder or _metadata, path or URI) to restore the job's "
          + "state and Kafka positions from. Without it the job restores from the newest one under --checkpoint-dir, "
          + "if any, so a crashed or stopped job carries on where it was; --fresh starts over.");

  public static final Opt<Integer> ALERT_SUSTAIN_WINDOWS = Opt.integer("alert-sustain-windows").defaultValue(3)
      .describe("Windows a straggler, power-cap or HBM-pressure condition must hold before its alert opens.");

  public static final Opt<Double> ALERT_STRAGGLER_RATIO = Opt.decimal("alert-straggler-ratio").defaultValue(0.8)
      .describe("A training chip below this share of its job's median utilization is a straggler.");

  public static final Opt<Integer> ALERT_SILENT_WINDOWS = Opt.integer("alert-silent-windows").defaultValue(2)
      .describe("Windows a known chip, or a whole UltraServer, may send nothing before it is reported silent.");

  public static final Opt<Integer> ALERT_IDLE_WINDOWS = Opt.integer("alert-idle-windows").defaultValue(10)
      .describe("Windows an UltraServer must stay under 5% utilization to be reported reserved-but-idle.");

  public static final Opt<Long> ALERT_ECC_BURST = Opt.longInt("alert-ecc-burst").defaultValue(100L)
      .describe("Corrected ECC errors of one chip in one window that make a burst (any uncorrected error "
          + "does, as CRITICAL).");

  public static final Opt<Double> ALERT_HBM_PRESSURE = Opt.decimal("alert-hbm-pressure").defaultValue(0.95)
      .describe("HBM utilization of an UltraServer at or above which memory is under pressure.");

  public static final Opt<Integer> MAX_PARALLELISM = Opt.integer("max-parallelism").defaultValue(256)
      .describe("Key groups: the most the job can ever be rescaled to from a savepoint. Fixed for the "
          + "life of the job's state; do not change it between savepoints.");

  public static final Opt<Delivery> METRICS_DELIVERY = Opt.choice("metrics-delivery", Delivery.class).defaultValue(Delivery.AT_LEAST_ONCE)
      .describe("Kafka delivery of window metrics. AT_LEAST_ONCE shows a window as soon as it closes "
          + "(a restart may repeat one; consumers key by window and UltraServer). EXACTLY_ONCE uses "
          + "transactions: consumers with isolation.level=read_committed see windows one checkpoint later.");

  public static final Opt<Boolean> PARQUET = Opt.bool("parquet").defaultValue(true)
      .describe("Write the Parquet tables.");

  public static final Opt<Boolean> KAFKA_METRICS = Opt.bool("kafka-metrics").defaultValue(true)
      .describe("Write window metrics and alerts to Kafka for live dashboards.");

  public static final Opt<Boolean> CREATE_TOPICS = Opt.bool("create-topics").defaultValue(true)
      .describe("Create the job's output topics at start if they are missing.");

  /** The job's flags, in the order --help lists them. */
  public static final List<Opt<?>> ALL = Commands.options(SharedOptions.KAFKA, List.of(DATA, CONFIG, CHIPS,
      INTERVAL, SET, TELEMETRY_TOPIC, GRID_INTENSITY_TOPIC, GRID_INTENSITY_WAIT, DEAD_LETTER_TOPIC, ULTRASERVER_TOPIC, SITE_TOPIC, FLEET_TOPIC, WORKLOAD_TOPIC,
      TENANT_TOPIC, ALERTS_TOPIC,
      GROUP_ID, STARTING_OFFSETS, BOUNDED, START, DURATION, WINDOW, MAX_OUT_OF_ORDERNESS, ALLOWED_LATENESS,
      IDLE_TIMEOUT, MAX_EVENT_TIME_SKEW, CHECK_TOPOLOGY, MAX_DEAD_LETTER_BYTES, CHECKPOINT_INTERVAL, CHECKPOINT_DIR,
      RESTORE_FROM, FRESH, RAW_ARCHIVE, ALERT_SUSTAIN_WINDOWS, ALERT_STRAGGLER_RATIO, ALERT_SILENT_WINDOWS,
      ALERT_IDLE_WINDOWS, ALERT_ECC_BURST, ALERT_HBM_PRESSURE, PARALLELISM, MAX_PARALLELISM, METRICS_DELIVERY, PARQUET,
      KAFKA_METRICS, CREATE_TOPICS, PARTITIONS, REPLICATION));
}
