package io.fleetpulse.jobs.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.generator.KafkaGeneration;
import io.fleetpulse.generator.RunPlan;
import io.fleetpulse.jobs.FleetMetricsJob;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.cli.Speedup;
import io.fleetpulse.schema.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --duration} on an unbounded job: it must stop by itself once every window up to start + duration is
 * committed, and write nothing after it, although the topic holds more.
 */
@Timeout(300)
class DurationStopIT {

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
          .setConfiguration(heartbeats()).build());

  static final Instant START = Instant.parse("2026-11-25T08:00:00Z");

  @TempDir Path dir;

  static Configuration heartbeats() {
    Configuration c = new Configuration();
    // Progress reaches the client with heartbeats: frequent ones keep the test short.
    c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    return c;
  }

  @Test
  void stopsByItselfWithEveryWindowUpToTheEndCommittedAndNoneAfter() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(dir.resolve("kafka")).build().start()) {
      kafka.createTopic(Topics.TELEMETRY, 2, Map.of());
      FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "4096")));
      KafkaGeneration.run(kafka.bootstrapServers(), Map.of(), Topics.TELEMETRY, model,
          new RunPlan(Shard.WHOLE, START, Duration.ofMinutes(6), Speedup.MAX), "duration");
      JobConfig cfg = JobConfig.defaults()
          .set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
          .set(JobOptions.DATA, dir.resolve("lake").toString())
          .set(JobOptions.STARTING_OFFSETS, JobOptions.StartingOffsets.EARLIEST)
          .set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1))
          .set(JobOptions.PARALLELISM, 2)
          .set(JobOptions.KAFKA_METRICS, false)
          .set(JobOptions.DURATION, Duration.ofMinutes(3))
          .set(JobOptions.START, START)
          .validate();

      FleetMetricsJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), cfg); // returns once stopped

      try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(DISTINCT window_start), epoch_ms(min(window_start)), "
              + "epoch_ms(max(window_start)), "
              + "count(*) - count(DISTINCT (ultraserver_id, window_start)) FROM read_parquet('"
              + dir.resolve("lake/ultraserver_window") + "/**/*.parquet')")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(3);
        assertThat(rs.getLong(2)).isEqualTo(START.toEpochMilli());
        assertThat(rs.getLong(3)).isEqualTo(START.plus(Duration.ofMinutes(2)).toEpochMilli());
        assertThat(rs.getLong(4)).as("duplicate windows").isZero();
      }
    }
  }
}
