package io.fleetpulse.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.jobs.FleetMetricsJob;
import io.fleetpulse.model.ConfigException;
import java.time.Duration;
import java.util.Map;
import io.fleetpulse.cli.Opt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class JobCliTest {

  static final class Capture extends JobCli.Command {
    JobConfig config;

    @Override
    public Integer call() {
      config = config();
      return 0;
    }
  }

  static JobConfig parse(Map<String, String> env, String... args) {
    Capture c = new Capture();
    CommandLine cl = new CommandLine(JobCli.spec("job", c, java.util.List.of()));
    JobConfig result = JobCli.read(cl.parseArgs(args), env);
    return result;
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsDefaults() {
    JobConfig cfg = parse(Map.of("FLEETPULSE_WINDOW", "5m", "FLEETPULSE_BOOTSTRAP_SERVERS", "env:9092"),
        "--bootstrap-servers", "flag:9092", "--metrics-delivery", "exactly-once", "--kafka-property",
        "security.protocol=SASL_SSL");
    assertThat(cfg.get(JobOptions.BOOTSTRAP_SERVERS)).isEqualTo("flag:9092");
    assertThat(cfg.get(JobOptions.WINDOW)).isEqualTo(Duration.ofMinutes(5));
    assertThat(cfg.get(JobOptions.METRICS_DELIVERY)).isEqualTo(JobOptions.Delivery.EXACTLY_ONCE);
    assertThat(cfg.get(JobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
    assertThat(cfg.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void badValuesNameTheFlagAndWhatIsAllowed() {
    assertThatThrownBy(() -> parse(Map.of(), "--window", "soon"))
        .hasMessageStartingWith("--window: cannot use 'soon'").hasMessageContaining("10s, 30m, 1h");
    assertThatThrownBy(() -> parse(Map.of(), "--metrics-delivery", "maybe"))
        .hasMessageContaining("at-least-once, exactly-once");
    assertThatThrownBy(() -> parse(Map.of(), "--parquet", "yes")).hasMessageContaining("true or false");
    assertThatThrownBy(() -> parse(Map.of(), "--window", "7m"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--window: must be at least 1s and divide a day");
    assertThatThrownBy(() -> parse(Map.of(), "--parallelism", "300"))
        .hasMessageContaining("--parallelism: 300 exceeds --max-parallelism 256");
  }

  @Test
  void theJobJarsMainReportsABadFlagByExceptionNotByExitingTheJvm() {
    // Under the REST API main runs inside the JobManager: exiting would stop the cluster (and this test's JVM).
    assertThatThrownBy(() -> FleetMetricsJob.main(new String[] {"--window", "7m"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--window: must be at least 1s and divide a day");
    assertThatThrownBy(() -> FleetMetricsJob.main(new String[] {"--no-such-flag"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--no-such-flag");
  }

  @Test
  void localPathsBecomeAbsoluteFileUrisAndUrisStay() {
    JobConfig local = parse(Map.of(), "--data", "relative/lake");
    assertThat(local.dataUri()).startsWith("file:/").endsWith("/relative/lake");
    assertThat(local.checkpointUri()).isEqualTo(local.dataUri() + "/_checkpoints");
    JobConfig s3 = parse(Map.of(), "--data", "s3://bucket/fleet/", "--checkpoint-dir", "s3://bucket/ckp");
    assertThat(s3.dataUri()).isEqualTo("s3://bucket/fleet");
    assertThat(s3.checkpointUri()).isEqualTo("s3://bucket/ckp");
  }

  @Test
  void helpListsEveryOptionWithItsDefaultAndEnvironmentVariable() {
    String help = new CommandLine(JobCli.spec("job", new Capture(), java.util.List.of())).getUsageMessage();
    for (Opt<?> option : JobOptions.ALL) {
      assertThat(help).contains(option.flag());
      if (!option.isMultiple()) assertThat(help).contains(option.envVar());
    }
    assertThat(help).contains("Default: 1m").contains("--kafka-property");
  }
}
