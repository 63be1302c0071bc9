package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import io.fleetpulse.model.cli.HelpText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The benchmark runs end to end and prints every figure it promises; the figures themselves are not judged. */
class BenchCliTest {

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = BenchCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyHelpTextFormatsWithoutAPicocliWarning() {
    assertThat(HelpText.warnings(BenchCli.commandLine())).isEmpty();
  }

  @Test
  @Timeout(120)
  void generatorBenchPrintsEveryFigure() {
    Run r = run("generator", "--chips", "640", "--samples", "20000", "--warmup-rounds", "1", "--rounds", "3",
        "--kafka-records", "3000", "--kafka-warmup-records", "1000", "--kafka-rounds", "2", "--partitions", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("640 chips (10 UltraServers)")
        .containsPattern("samples \\(TickSampler\\.sample\\) +[\\d.]+ M/s \\(median of 3; min [\\d.]+, max [\\d.]+\\)")
        .containsPattern("samples \\+ Avro encoding \\([\\d.]+ B a record\\) +[\\d.]+ M/s .*target >= 5 M/s: (met|NOT met)")
        .contains("FleetModel.sample (the pure function")
        .containsPattern("warm-up, untimed: [\\d,]+ records each")
        .containsPattern("round 1  generator +[\\d,]+ records acknowledged")
        .containsPattern("round 2  ProducerPerformance +\\d+ records sent, [\\d.]+ records/sec")
        .containsPattern("ratio generator / ProducerPerformance, median of the rounds' ratios: [\\d.]+x \\(min [\\d.]+, "
            + "max [\\d.]+\\) +target >= 1.0x: (met|NOT met)")
        .containsPattern("\\(ratio of the medians: [\\d.]+x\\)")
        .containsPattern("memory: peak RSS [\\d,]+ MiB, peak heap [\\d,]+ MiB");
    // Both Kafka runs send the same number of records: whole ticks of the fleet, at least --kafka-records.
    assertThat(r.out()).containsPattern("each run sends [\\d,]+ records \\(\\d+ ticks of the fleet\\)");
  }

  @Test
  @Timeout(180)
  void jobBenchRunsTheRealJobAndPrintsItsRate() {
    Run r = run("job", "--chips", "640", "--duration", "2m", "--rounds", "1", "--checkpoint-interval", "1s");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("loaded [\\d,]+ samples \\(640 chips, 2m of simulated time\\) into 4 partitions")
        .containsPattern("round 1: [\\d,]+ samples/s over [\\d.]+ s wall \\(start-up included\\); [\\d,]+ samples/s over "
            + "[\\d.]+ s net runtime = [\\d,]+ samples/s per slot")
        .containsPattern("best net [\\d,]+ samples/s \\([\\d,]+ per slot\\); peak RSS");
  }

  @Test
  void badFlagsFailFastNamingTheFlag() {
    Run r = run("generator", "--rounds", "0", "--skip-kafka");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--rounds must be >= 1, got 0");
    Run typo = run("generator", "--chip", "640");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("'--chip'").contains("Possible solutions: --chips").contains("--help");
    Run badConfig = run("generator", "--set", "faults.silent_share=2", "--skip-kafka");
    assertThat(badConfig.exitCode()).isEqualTo(2);
    assertThat(badConfig.err()).contains("faults.silent_share: must be in [0, 1], got 2");
  }

  @Test
  void helpDescribesEveryOptionWithItsDefault() {
    Run r = run("generator", "--help");
    assertThat(r.exitCode()).isZero();
    CommandLine.Model.CommandSpec spec = BenchCli.commandLine().getSubcommands().get("generator").getCommandSpec();
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      assertThat(r.out()).contains(o.longestName());
      assertThat(String.join(" ", o.description())).as(o.longestName()).isNotBlank();
      if (o.defaultValue() != null && !o.usageHelp() && !o.versionHelp()) {
        assertThat(String.join(" ", o.description())).as(o.longestName()).contains("Default");
      }
    }
    assertThat(run("--help").out()).contains("generator").contains("ProducerPerformance");
  }
}
