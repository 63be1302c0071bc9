package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import io.fleetpulse.cli.HelpText;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FleetPulseCliTest {

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = FleetPulseCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    cl.getSubcommands().values().forEach(sub -> {
      sub.setOut(new PrintWriter(out));
      sub.setErr(new PrintWriter(err));
    });
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelpNamingItsSharedFlags() {
    assertThat(run("--help").out()).contains("demo", "generate", "job", "dashboard", "query");
    assertThat(run("dashboard", "--help").out()).contains("--bootstrap-servers", "--dashboard-port", "--bind");
    assertThat(run("demo", "--help").out()).contains("--chips", "--duration", "--speedup", "--data", "--config",
        "--seed", "--interval", "--start", "--dashboard-port");
    assertThat(run("generate", "--help").out()).contains("--bootstrap-servers", "--shard", "--chips", "--duration",
        "--speedup", "--kafka-property");
    assertThat(run("job", "--help").out()).contains("--bootstrap-servers", "--data", "--duration", "--config",
        "--web-port", "FLEETPULSE_WINDOW");
  }

  @Test
  void everyHelpTextFormatsWithoutAPicocliWarning() {
    assertThat(HelpText.warnings(FleetPulseCli.commandLine())).isEmpty();
  }

  @Test
  void badFlagsFailFastWithTheFix() {
    Run shard = run("generate", "--shard", "3/2", "--duration", "1m");
    assertThat(shard.exit()).isEqualTo(2);
    assertThat(shard.err()).contains("--shard takes i/N with 0 <= i < N").contains("--help");

    Run chips = run("generate", "--chips", "100", "--duration", "1m");
    assertThat(chips.exit()).isEqualTo(2);
    assertThat(chips.err()).contains("config error: fleet.chips: must be a multiple of 64");

    Run duration = run("demo", "--duration", "soon");
    assertThat(duration.exit()).isEqualTo(2);
    assertThat(duration.err()).contains("'soon' is not a duration");

    Run unknown = run("demo", "--chipz", "64");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown options: '--chipz'").contains("--chips");
  }
}
