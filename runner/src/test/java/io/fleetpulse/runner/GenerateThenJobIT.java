package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pair a user runs by hand: a bounded run generated as fast as possible, then the job over the same stretch of
 * event time. The generator's last progress marker says the run ended, so the job closes its last window and ends by
 * itself, every window committed; before, nothing came after the last window to close it and the job never ended.
 */
@Timeout(300)
class GenerateThenJobIT {

  static final String START = "2026-11-24T12:00:00Z";

  @TempDir Path dir;

  @Test
  void theJobOverABoundedRunEndsByItselfWithEveryWindowCommitted() throws Exception {
    generateThenJob();
  }

  /**
   * With allowed lateness the run's last windows wait out a lateness its event time never reaches: the job stops
   * once they are decided, with a draining savepoint that emits them.
   */
  @Test
  void withAllowedLatenessTheLastWindowsAreWrittenByTheDrainingStop() throws Exception {
    generateThenJob("--allowed-lateness", "20s");
  }

  void generateThenJob(String... jobArgs) throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().logDir(dir.resolve("kafka")).build().start()) {
      String bootstrap = kafka.bootstrapServers();
      assertThat(FleetPulseCli.commandLine().execute("generate", "--bootstrap-servers", bootstrap, "--telemetry-topic", "t2",
          "--chips", "4096", "--start", START, "--duration", "3m", "--speedup", "max")).isZero();
      // No --chips: the job does not know the fleet; the windows close on the generator's progress markers alone.
      List<String> job = new ArrayList<>(List.of("job", "--bootstrap-servers", bootstrap, "--telemetry-topic",
          "t2", "--start", START, "--duration", "3m", "--data", dir.resolve("lake").toString(), "--web-port", "0",
          "--checkpoint-interval", "1s"));
      job.addAll(List.of(jobArgs));
      assertThat(FleetPulseCli.commandLine().execute(job.toArray(String[]::new))).isZero();
    }
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), sum(samples), epoch_ms(max(window_end)) FROM read_parquet('"
            + dir.resolve("lake/fleet_window") + "/**/*.parquet')")) {
      rs.next();
      assertThat(rs.getLong(1)).as("fleet windows").isEqualTo(3);
      assertThat(rs.getLong(2)).as("samples").isEqualTo(samplesOfTheRun());
      assertThat(rs.getLong(3)).isEqualTo(Instant.parse(START).toEpochMilli() + 180_000);
    }
  }

  /** The pure sample function's count for the run: the oracle. */
  static long samplesOfTheRun() {
    FleetModel model = new FleetModel(FleetConfigLoader.load(null, Map.of("fleet.chips", "4096")));
    long first = model.tickOf(Instant.parse(START).toEpochMilli());
    Sample s = new Sample();
    long n = 0;
    for (long tick = first; tick < first + 18; tick++) {
      for (int chip = 0; chip < 4096; chip++) if (model.sample(chip, tick, s)) n++;
    }
    return n;
  }
}
