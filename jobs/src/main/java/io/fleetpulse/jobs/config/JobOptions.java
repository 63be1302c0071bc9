package io.fleetpulse.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.fleetpulse.schema.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * Every option of the metrics job, in one place: key (= command-line flag without "--"), type, default and
 * description. {@link JobCli} builds the flags, the environment fallbacks (FLEETPULSE_ + key in upper snake case)
 * and {@code --help} from this list; docs/job-options.md is generated from it and a test keeps it current.
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

  public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("bootstrap-servers").stringType()
      .defaultValue("localhost:9092")
      .withDescription("Kafka brokers, host:port[,host:port...]. Other Kafka client properties (SASL, SSL) "
          + "pass through with --kafka-property KEY=VALUE.");

  public static final ConfigOption<String> DATA = key("data").stringType().defaultValue("./data")
      .withDescription("Output root for the Parquet tables (<data>/ultraserver_window/date=/hour=/...): a local "
          + "path or any Flink filesystem URI (file:///, s3://bucket/prefix with Flink's S3 plugin).");

  public static final ConfigOption<String> CONFIG = key("config").stringType().noDefaultValue()
      .withDescription("Fleet YAML file with the factors the metrics use (PUE, grid factors, prices, GPU "
          + "baseline); the built-in defaults when absent. See docs/fleet-model.md.");

  public static final ConfigOption<Integer> CHIPS = key("chips").intType().noDefaultValue()
      .withDescription("Fleet size in chips, as the generator was given it: the layout samples are checked against "
          + "(--check-topology).");

  public static final ConfigOption<Duration> INTERVAL = key("interval").durationType().noDefaultValue()
      .withDescription("The fleet's sample interval, as the generator was given it.");

  public static final ConfigOption<String> TELEMETRY_TOPIC = key("telemetry-topic").stringType()
      .defaultValue(Topics.TELEMETRY).withDescription("Topic the chip samples are read from.");

  public static final ConfigOption<String> DEAD_LETTER_TOPIC = key("dead-letter-topic").stringType()
      .defaultValue(Topics.DEAD_LETTER)
      .withDescription("Topic for records the job cannot use: original bytes, reason in headers.");

  public static final ConfigOption<String> ULTRASERVER_TOPIC = key("ultraserver-topic").stringType()
      .defaultValue(Topics.METRICS_ULTRASERVER)
      .withDescription("Topic for UltraServer window metrics (key: UltraServer id).");

  public static final ConfigOption<String> SITE_TOPIC = key("site-topic").stringType()
      .defaultValue(Topics.METRICS_SITE).withDescription("Topic for site window metrics (key: site id).");

  public static final ConfigOption<String> FLEET_TOPIC = key("fleet-topic").stringType()
      .defaultValue(Topics.METRICS_FLEET)
      .withDescription("Topic for fleet window metrics (key: fleet) and per-generation ones (key: generation id).");

  public static final ConfigOption<String> ALERTS_TOPIC = key("alerts-topic").stringType()
      .defaultValue(Topics.ALERTS).withDescription("Topic for alert updates, OPEN then RESOLVED (key: alert id).");

  public static final ConfigOption<String> GROUP_ID = key("group-id").stringType()
      .defaultValue("fleetpulse-metrics")
      .withDescription("Kafka consumer group; offsets are committed on each completed checkpoint.");

  public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = key("starting-offsets")
      .enumType(StartingOffsets.class).defaultValue(StartingOffsets.COMMITTED)
      .withDescription("Where to start without a savepoint: COMMITTED (the group's offsets, else earliest), "
          + "EARLIEST or LATEST.");

  public static final ConfigOption<Boolean> BOUNDED = key("bounded").booleanType().defaultValue(false)
      .withDescription("Read only up to the topic's end offsets as of job start, then finish: a backfill. Every "
          + "window is emitted and committed before the job ends.");

  public static final ConfigOption<Duration> WINDOW = key("window").durationType()
      .defaultValue(Duration.ofMinutes(1))
      .withDescription("Event-time tumbling window size; must be a whole number of sample intervals.");

  public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = key("max-out-of-orderness").durationType()
      .defaultValue(Duration.ofSeconds(15))
      .withDescription("How far behind the newest event time of a partition a sample may arrive and still "
          + "count. Must exceed the sample interval (chips sample out of step within an interval).");

  public static final ConfigOption<Duration> ALLOWED_LATENESS = key("allowed-lateness").durationType()
      .defaultValue(Duration.ZERO)
      .withDescription("Extra time a window waits for stragglers after the watermark passed it (it re-fires "
          + "with them). Samples later than that go to the dead-letter topic with reason LATE.");

  public static final ConfigOption<Duration> IDLE_TIMEOUT = key("idle-timeout").durationType()
      .defaultValue(Duration.ofMinutes(1))
      .withDescription("A partition without records for this long (wall clock) stops holding back the watermark; a "
          + "partition whose progress markers pause this long falls back to sample times.");

  public static final ConfigOption<Duration> MAX_EVENT_TIME_SKEW = key("max-event-time-skew").durationType()
      .defaultValue(Duration.ofMinutes(5))
      .withDescription("How far ahead of its partition's own event time (the time at least 16 chips agree on, or the "
          + "producers' progress markers) a sample may be stamped. Further ahead is a broken clock: the sample goes "
          + "to the dead-letter topic as FUTURE and never moves a watermark. Measured against the stream, not the "
          + "wall clock, so replays of old days and fast --speedup runs are not affected.");

  public static final ConfigOption<Boolean> CHECK_TOPOLOGY = key("check-topology").booleanType().noDefaultValue()
      .withDescription("Check each sample's chip, instance, UltraServer, site, generation and interval against the "
          + "fleet layout the generator was given (--config, --chips, --interval, --set): a sample outside the "
          + "fleet, or filed under the wrong UltraServer, goes to the dead-letter topic. Without a layout ids are only "
          + "checked for range.");

  public static final ConfigOption<Integer> MAX_DEAD_LETTER_BYTES = key("max-dead-letter-bytes").intType()
      .defaultValue(128 * 1024)
      .withDescription("Bytes of a bad record's original value kept in its dead letter; beyond that the value is cut "
          + "and the header fleetpulse.dlq.truncated says how long it was, so every dead letter fits Kafka's limits.");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint-interval").durationType()
      .defaultValue(Duration.ofSeconds(10))
      .withDescription("Exactly-once checkpoint interval. Parquet files are committed, and offsets "
          + "acknowledged, on each checkpoint: this is the output latency of the Parquet tables.");

  public static final ConfigOption<String> CHECKPOINT_DIR = key("checkpoint-dir").stringType().noDefaultValue()
      .withDescription("Durable location of checkpoints and savepoints (path or URI, e.g. s3://...). "
          + "Default: <data>/_checkpoints.");

  public static final ConfigOption<String> RESTORE_FROM = key("restore-from").stringType().noDefaultValue()
      .withDescription("A savepoint or retained checkpoint (its folder or _metadata, path or URI) to restore the job's "
          + "state and Kafka positions from. Without it the job restores from the newest one under --checkpoint-dir, "
          + "if any, so a crashed or stopped job carries on where it was; --fresh starts over.");

  public static final ConfigOption<Boolean> FRESH = key("fresh").booleanType().defaultValue(false)
      .withDescription("Start over: ignore the checkpoints and savepoints under --checkpoint-dir and read from "
          + "--starting-offsets.");

  public static final ConfigOption<Boolean> RAW_ARCHIVE = key("raw-archive").booleanType().defaultValue(false)
      .withDescription("Also write every valid sample to the Parquet table chip_telemetry/ (about 10x the volume "
          + "of the window tables): the raw archive, to audit or recompute any metric.");

  public static final ConfigOption<Integer> ALERT_SUSTAIN_WINDOWS = key("alert-sustain-windows").intType()
      .defaultValue(3)
      .withDescription("Windows a straggler, power-cap or HBM-pressure condition must hold before its alert opens.");

  public static final ConfigOption<Double> ALERT_STRAGGLER_RATIO = key("alert-straggler-ratio").doubleType()
      .defaultValue(0.8)
      .withDescription("A training chip below this share of its job's median utilization is a straggler.");

  public static final ConfigOption<Integer> ALERT_SILENT_WINDOWS = key("alert-silent-windows").intType()
      .defaultValue(2)
      .withDescription("Windows a known chip, or a whole UltraServer, may send nothing before it is reported silent.");

  public static final ConfigOption<Integer> ALERT_IDLE_WINDOWS = key("alert-idle-windows").intType()
      .defaultValue(10)
      .withDescription("Windows an UltraServer must stay under 5% utilization to be reported reserved-but-idle.");

  public static final ConfigOption<Long> ALERT_ECC_BURST = key("alert-ecc-burst").longType().defaultValue(100L)
      .withDescription("Corrected ECC errors of one chip in one window that make a burst (any uncorrected error "
          + "does, as CRITICAL).");

  public static final ConfigOption<Double> ALERT_HBM_PRESSURE = key("alert-hbm-pressure").doubleType()
      .defaultValue(0.95)
      .withDescription("HBM utilization of an UltraServer at or above which memory is under pressure.");

  public static final ConfigOption<Integer> PARALLELISM = key("parallelism").intType().defaultValue(-1)
      .withDescription("Parallelism of every operator; -1 takes the cluster's default.");

  public static final ConfigOption<Integer> MAX_PARALLELISM = key("max-parallelism").intType().defaultValue(256)
      .withDescription("Key groups: the most the job can ever be rescaled to from a savepoint. Fixed for the "
          + "life of the job's state; do not change it between savepoints.");

  public static final ConfigOption<Delivery> METRICS_DELIVERY = key("metrics-delivery").enumType(Delivery.class)
      .defaultValue(Delivery.AT_LEAST_ONCE)
      .withDescription("Kafka delivery of window metrics. AT_LEAST_ONCE shows a window as soon as it closes "
          + "(a restart may repeat one; consumers key by window and UltraServer). EXACTLY_ONCE uses "
          + "transactions: consumers with isolation.level=read_committed see windows one checkpoint later.");

  public static final ConfigOption<Boolean> PARQUET = key("parquet").booleanType().defaultValue(true)
      .withDescription("Write the Parquet tables.");

  public static final ConfigOption<Boolean> KAFKA_METRICS = key("kafka-metrics").booleanType().defaultValue(true)
      .withDescription("Write window metrics and alerts to Kafka for live dashboards.");

  public static final ConfigOption<Boolean> CREATE_TOPICS = key("create-topics").booleanType().defaultValue(true)
      .withDescription("Create the job's output topics at start if they are missing.");

  public static final ConfigOption<Integer> TOPIC_PARTITIONS = key("topic-partitions").intType().defaultValue(8)
      .withDescription("Partitions of topics the job creates.");

  public static final ConfigOption<Integer> TOPIC_REPLICATION = key("topic-replication").intType().defaultValue(1)
      .withDescription("Replication factor of topics the job creates (3 on a production cluster).");

  public static final ConfigOption<Duration> DURATION = key("duration").durationType().noDefaultValue()
      .withDescription("Process the event time [--start, --start + duration) and stop by itself with a savepoint once "
          + "every window of it is committed; samples outside it are counted and left in Kafka. Needs --start and an "
          + "attached client. Default: run until cancelled.");

  public static final ConfigOption<String> START = key("start").stringType().noDefaultValue()
      .withDescription("Event-time start of the run: samples stamped before it are counted and left out (and after "
          + "--start + --duration, with a duration). A UTC instant, a date or epoch millis.");

  public static final List<ConfigOption<?>> ALL = List.of(
      BOOTSTRAP_SERVERS, DATA, CONFIG, CHIPS, INTERVAL, TELEMETRY_TOPIC, DEAD_LETTER_TOPIC, ULTRASERVER_TOPIC, SITE_TOPIC, FLEET_TOPIC, ALERTS_TOPIC,
      GROUP_ID,
      STARTING_OFFSETS, BOUNDED, WINDOW, MAX_OUT_OF_ORDERNESS, ALLOWED_LATENESS, IDLE_TIMEOUT, MAX_EVENT_TIME_SKEW,
      CHECK_TOPOLOGY, MAX_DEAD_LETTER_BYTES, CHECKPOINT_INTERVAL, CHECKPOINT_DIR, RESTORE_FROM, FRESH, RAW_ARCHIVE, ALERT_SUSTAIN_WINDOWS, ALERT_STRAGGLER_RATIO,
      ALERT_SILENT_WINDOWS, ALERT_IDLE_WINDOWS, ALERT_ECC_BURST, ALERT_HBM_PRESSURE, PARALLELISM, MAX_PARALLELISM, METRICS_DELIVERY, PARQUET, KAFKA_METRICS,
      CREATE_TOPICS, TOPIC_PARTITIONS, TOPIC_REPLICATION, DURATION, START);

  /** The description as plain text. */
  public static String describe(ConfigOption<?> option) {
    StringBuilder sb = new StringBuilder();
    for (BlockElement block : option.description().getBlocks()) {
      if (block instanceof TextElement text) sb.append(text.getFormat());
    }
    return sb.toString();
  }

  /** The environment variable that sets an option when its flag is absent. */
  public static String envVar(ConfigOption<?> option) {
    return "FLEETPULSE_" + option.key().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }
}
