package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import io.fleetpulse.cli.HelpText;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench command line: help texts and flag errors (BenchCliIT runs the benchmarks themselves). */
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
  void badFlagsFailFastNamingTheFlag() {
    Run r = run("generator", "--pure-rounds", "0", "--skip-kafka");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--pure-rounds must be >= 1, got 0");
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
