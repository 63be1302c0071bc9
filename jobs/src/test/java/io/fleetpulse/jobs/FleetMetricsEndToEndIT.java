package io.fleetpulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fleetpulse.generator.GeneratorStats;
import io.fleetpulse.generator.KafkaGeneration;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.schema.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spine on real parts: the generator writes 256 UltraServers x 3 simulated minutes into a real (in-process,
 * KRaft) Kafka broker; the job reads them with the real Kafka source on a MiniCluster and writes Parquet with the
 * real FileSink; DuckDB reads the Parquet back. Every window is checked against the generator's pure sample
 * function: counts exactly, energy and delivered PFLOP to 1e-9 relative.
 */
@Timeout(300)
class FleetMetricsEndToEndIT {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final Instant START = Instant.parse("2026-11-25T09:58:00Z"); // crosses an hour: two hive partitions
  static final int CHIPS = 256 * 64;

  @TempDir static Path dir;
  static EmbeddedKafkaBroker kafka;
  static FleetModel model;
  static GeneratorStats produced;

  @BeforeAll
  static void generateAndRunTheJob() throws Exception {
    kafka = EmbeddedKafkaBroker.builder().logDir(dir.resolve("kafka")).build().start();
    kafka.createTopic(Topics.TELEMETRY, 4, Map.of());
    kafka.createTopic(Topics.GRID_INTENSITY, 1, Map.of());
    model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", Integer.toString(CHIPS))));
    produced = KafkaGeneration.run(kafka.bootstrapServers(), Map.of(), Topics.TELEMETRY, Topics.GRID_INTENSITY, model,
        new RunPlan(Shard.WHOLE, START, Duration.ofMinutes(3), Speedup.MAX), "e2e");

    JobConfig cfg = JobConfig.defaults()
        .set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
        .set(JobOptions.DATA, dir.resolve("lake").toString())
        .set(JobOptions.BOUNDED, true)
        .set(JobOptions.STARTING_OFFSETS, JobOptions.StartingOffsets.EARLIEST)
        .set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1))
        .set(JobOptions.PARALLELISM, 2)
        .set(JobOptions.PARTITIONS, 2)
        .set(JobOptions.KAFKA_METRICS, true)
        .set(JobOptions.RAW_ARCHIVE, true)
        // Bounded: the end of input releases every window, so waiting long costs nothing and no window falls back.
        .set(JobOptions.GRID_INTENSITY_WAIT, Duration.ofHours(1))
        .validate();
    FleetMetricsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), cfg);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) kafka.close();
  }

  @Test
  void everyWindowMatchesTheGeneratorsSampleFunction() throws Exception {
    long startTick = model.tickOf(START.toEpochMilli());
    Map<WindowOracle.Key, WindowOracle.Expected> expected =
        WindowOracle.compute(model, 0, CHIPS, startTick, startTick + 18, 60_000);
    assertThat(expected.values().stream().mapToLong(e -> e.samples).sum()).isEqualTo(produced.samples());

    Map<WindowOracle.Key, double[]> actual = new HashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT ultraserver_id, epoch_ms(window_start), samples, chips_reporting, "
            + "it_energy_kwh, delivered_pflop, strftime(date, '%Y-%m-%d'), hour FROM read_parquet('"
            + dir.resolve("lake/ultraserver_window") + "/**/*.parquet', hive_partitioning = true)")) {
      while (rs.next()) {
        long windowStart = rs.getLong(2);
        var utc = Instant.ofEpochMilli(windowStart).atZone(ZoneOffset.UTC);
        assertThat(rs.getString(7)).isEqualTo(utc.toLocalDate().toString());
        assertThat(rs.getInt(8)).isEqualTo(utc.getHour());
        double[] previous = actual.put(new WindowOracle.Key(rs.getInt(1), windowStart),
            new double[] {rs.getLong(3), rs.getInt(4), rs.getDouble(5), rs.getDouble(6)});
        assertThat(previous).as("duplicate window").isNull();
      }
    }
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((key, e) -> {
      double[] a = actual.get(key);
      assertThat((long) a[0]).as("samples of %s", key).isEqualTo(e.samples);
      assertThat((int) a[1]).as("chips of %s", key).isEqualTo(e.chips.size());
      assertThat(a[2]).as("energy of %s", key).isCloseTo(e.itEnergyKwh(), offset(e.itEnergyKwh() * 1e-9));
      assertThat(a[3]).as("PFLOP of %s", key).isCloseTo(e.deliveredPflop(), offset(e.deliveredPflop() * 1e-9 + 1e-12));
    });
  }

  @Test
  void everyMetricOfEveryLevelEqualsItsRecomputationInSqlFromTheRawArchive() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      for (LakeOracle.Level level : LakeOracle.Level.values()) {
        Map<String, Double> diff = LakeOracle.compare(db, dir.resolve("lake"), model, START.toEpochMilli(),
            START.plus(Duration.ofMinutes(3)).toEpochMilli(), level);
        assertThat(diff.get("rows")).as("%s groups", level).isGreaterThanOrEqualTo(3);
        assertThat(diff.get("missing")).as("%s rows on one side only", level).isZero();
        diff.forEach((column, worst) -> {
          if (!column.equals("rows") && !column.equals("missing")) {
            assertThat(worst).as("%s.%s worst relative difference", level, column).isLessThan(1e-9);
          }
        });
      }
    }
  }

  @Test
  void percentilesAreExactPerUltraServerAndWithinTheSketchErrorAbove() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      assertThat(LakeOracle.percentileProblems(db, dir.resolve("lake"), LakeOracle.Level.ULTRASERVER, 0)).isEmpty();
      for (LakeOracle.Level level : List.of(LakeOracle.Level.SITE, LakeOracle.Level.FLEET)) {
        assertThat(LakeOracle.percentileProblems(db, dir.resolve("lake"), level, 0.02)).isEmpty();
      }
    }
  }

  @Test
  void theRawArchiveHoldsEverySampleOnce() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT (chip_id, event_time)) FROM read_parquet('"
            + dir.resolve("lake/chip_telemetry") + "/**/*.parquet')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(produced.samples());
      assertThat(rs.getLong(2)).isEqualTo(produced.samples());
    }
  }

  @Test
  void onlyCommittedParquetFilesAreVisible() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("lake/ultraserver_window"))) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .isNotEmpty()
          .allSatisfy(name -> assertThat(name).startsWith("part").endsWith(".parquet"));
    }
  }
}
