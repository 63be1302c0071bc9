package io.fleetpulse.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The options more than one command takes, each declared once: a command lists the ones it takes, and they read,
 * default and mean the same wherever they appear. Options of one command only live beside that command.
 * docs/options.md is generated from these declarations (a test keeps it current).
 */
public final class SharedOptions {

  private SharedOptions() {}

  // ---- where things are ----

  public static final Opt<String> DATA = Opt.string("data", "DIR").defaultValue("./data")
      .describe("Data folder: the Parquet tables at its top (ultraserver_window/, site_window/, alerts/, ...), the "
          + "job's checkpoints in _checkpoints/, and the demo's or broker's Kafka log in _kafka/. For the job also "
          + "any Flink filesystem URI (file:///..., s3://bucket/prefix with Flink's S3 plugin).");

  public static final Opt<String> BOOTSTRAP_SERVERS = Opt.string("bootstrap-servers", "HOST:PORT[,...]")
      .defaultValue("localhost:9092")
      .describe("Kafka brokers to connect to. Other client properties (SASL, SSL) pass through with "
          + "--kafka-property KEY=VALUE.");

  public static final Opt<Map<String, String>> KAFKA_PROPERTY = Opt.keyValues("kafka-property")
      .describe("A Kafka client property passed through unchanged to every Kafka client (repeatable), e.g. "
          + "security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512.");

  public static final Opt<String> TELEMETRY_TOPIC = Opt.string("telemetry-topic", "TOPIC")
      .defaultValue(io.fleetpulse.schema.Topics.TELEMETRY)
      .describe("Topic of the chip samples: what the generator writes and the job reads.");

  public static final Opt<String> ALERTS_TOPIC = Opt.string("alerts-topic", "TOPIC")
      .defaultValue(io.fleetpulse.schema.Topics.ALERTS)
      .describe("Topic of alert updates, OPEN then RESOLVED (key: alert id): what the job writes and the "
          + "dashboard reads.");

  public static final Opt<String> GRID_INTENSITY_TOPIC = Opt.string("grid-intensity-topic", "TOPIC")
      .defaultValue(io.fleetpulse.schema.Topics.GRID_INTENSITY)
      .describe("Topic of the hourly grid intensity per site: the generator writes each hour's figures there ahead of "
          + "the hour's telemetry, and the job prices each UltraServer window's carbon with them (an empty value: "
          + "neither does, and carbon uses the annual factors).");

  public static final Opt<Integer> PARTITIONS = Opt.integer("partitions").defaultValue(4)
      .describe("Partitions of each topic a command creates (topics that exist are left alone). It bounds the "
          + "job's source parallelism: give a cluster at least as many as its slots.");

  public static final Opt<Integer> REPLICATION = Opt.integer("replication").defaultValue(1)
      .describe("Replication factor of each topic a command creates (3 on a production cluster).");

  // ---- which fleet ----

  public static final Opt<Path> CONFIG = Opt.path("config", "FILE")
      .defaultText("the built-in fleet (docs/fleet-model.md)")
      .describe("Fleet YAML file: sites, generations, workloads, faults and the published factors (PUE, grid "
          + "factors, prices). Give the generator, the job and the dashboard the same one. Keys not in the file keep "
          + "their defaults.");

  public static final Opt<Integer> CHIPS = Opt.integer("chips")
      .defaultText("fleet.chips of the config: 1000000 (the demo's built-in fleet has 65536)")
      .describe("Fleet size in chips, a multiple of 64 (one UltraServer).");

  public static final Opt<String> INTERVAL = Opt.string("interval", "DURATION")
      .defaultText("fleet.interval of the config (10s)")
      .describe("Sample interval per chip, dividing a minute (1s, 5s, 10s, 30s, 1m).");

  public static final Opt<Long> SEED = Opt.longInt("seed").defaultText("fleet.seed of the config (42)")
      .describe("Seed of the fleet model: the same seed and config give the same telemetry.");

  public static final Opt<Map<String, String>> SET = Opt.keyValues("set")
      .describe("Sets one fleet config key over --config and the defaults (repeatable), e.g. "
          + "--set faults.silent_share=0.01 --set fleet.generation_mix={trn2: 0.7, trn3: 0.3}. Keys, defaults and "
          + "ranges: docs/fleet-model.md.");

  // ---- which stretch of time ----

  public static final Opt<java.time.Instant> START = Opt.time("start")
      .defaultText("now, rounded down to the minute")
      .describe("Simulated (event-time) start: a UTC instant (2026-11-25T06:00:00Z), a date (midnight UTC) or "
          + "epoch millis, rounded down to the sample interval. Samples stamped before it are not the run's.");

  public static final Opt<Duration> DURATION = Opt.duration("duration")
      .defaultText("run until stopped (Ctrl-C)")
      .describe("Simulated time to run from --start (e.g. 10m, 1h, 1d), then stop by itself with every window "
          + "committed.");

  public static final Opt<Speedup> SPEEDUP = Opt.of("speedup", "S", Speedup.class, Speedup::parse)
      .defaultValue(Speedup.REAL_TIME)
      .describe("Simulated seconds per wall-clock second: 1 is real time, 60 a minute a second, 'max' as fast as "
          + "possible.");

  // ---- how the job runs ----

  public static final Opt<Integer> PARALLELISM = Opt.integer("parallelism").defaultValue(-1)
      .describe("Parallelism of every operator of the job; -1 takes the cluster's default, and on a local "
          + "MiniCluster (demo, job, bench) one per core but at most --partitions.");

  public static final Opt<Duration> CHECKPOINT_INTERVAL = Opt.duration("checkpoint-interval")
      .defaultValue(Duration.ofSeconds(5))
      .describe("How often the job checkpoints, exactly-once: Parquet files are committed and offsets acknowledged "
          + "on each checkpoint, so this is the delay of the Parquet tables.");

  public static final Opt<Boolean> RAW_ARCHIVE = Opt.bool("raw-archive").defaultValue(true)
      .describe("Also write every valid sample to the Parquet table chip_telemetry/ (about 10x the volume of the "
          + "window tables): the raw archive, to audit or recompute any metric.");

  public static final Opt<Boolean> FRESH = Opt.bool("fresh").defaultValue(false)
      .describe("Start over instead of carrying on where the last run stopped: the demo clears its data folder, the "
          + "generator sends from --start again, the job ignores its checkpoints.");

  public static final Opt<Integer> WEB_PORT = Opt.integer("web-port").label("PORT").defaultValue(8081)
      .describe("Port of the local Flink web UI on 127.0.0.1 (the next free one if taken).");

  // ---- what serves ----

  public static final Opt<String> BIND = Opt.string("bind", "ADDRESS").defaultValue("127.0.0.1")
      .describe("Address to listen on: 127.0.0.1 serves this machine only, 0.0.0.0 every network interface.");

  public static final Opt<Integer> DASHBOARD_PORT = Opt.integer("dashboard-port").label("PORT").defaultValue(8088)
      .describe("Port of the live dashboard; 0 picks a free one (the demo takes the next free one if it is taken).");

  public static final Opt<Integer> SQL_PORT = Opt.integer("sql-port").label("PORT").defaultValue(8090)
      .describe("Port of the read-only SQL endpoint over the tables, what the notebooks read; 0 picks a free one "
          + "(the demo takes the next free one if it is taken).");

  public static final Opt<Integer> KAFKA_PORT = Opt.integer("kafka-port").label("PORT").defaultValue(9092)
      .describe("Port of the in-process Kafka broker on 127.0.0.1 (the next free one if taken).");

  public static final Opt<Integer> METRICS_PORT = Opt.integer("metrics-port").label("PORT").defaultValue(9249)
      .describe("Port of the job's Prometheus endpoint, http://HOST:PORT/metrics (docs/monitoring.md): Flink's own "
          + "Prometheus reporter, every Flink metric and the job's own (dead letters by reason, window emission delay, "
          + "the latest window of each site, generation and the fleet), on every network interface (the reporter has "
          + "no bind address), the next free port if taken. -1 turns it off, 0 picks a free one.");

  public static final Opt<Integer> GENERATOR_METRICS_PORT = Opt.integer("generator-metrics-port").label("PORT")
      .defaultValue(9250)
      .describe("Port of the generator's Prometheus endpoint, http://HOST:PORT/metrics (docs/monitoring.md): its rate "
          + "and lag, on --bind (the demo: 127.0.0.1); the next free one if taken (shards on one machine), -1 none, "
          + "0 any free one.");

  /** The fleet flags, in the order --help lists them. */
  public static final List<Opt<?>> FLEET = List.of(CONFIG, CHIPS, INTERVAL, SEED, SET);

  /** The Kafka client flags. */
  public static final List<Opt<?>> KAFKA = List.of(BOOTSTRAP_SERVERS, KAFKA_PROPERTY);

  /** The run flags of a paced run. */
  public static final List<Opt<?>> RUN = List.of(START, DURATION, SPEEDUP);
}
