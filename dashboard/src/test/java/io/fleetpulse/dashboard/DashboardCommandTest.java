package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.cli.CliErrors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class DashboardCommandTest {

  record Run(int exitCode, String err) {}

  static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = CliErrors.install(DashboardCommand.commandLine());
    cl.setUsageHelpWidth(400); // one line per option, so a default is never split by wrapping
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, err.toString());
  }

  @Test
  void helpListsEveryFlagWithItsDefault() {
    Run help = run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.err()).contains("--bootstrap-servers", "--kafka-property", "--bind", "Default: 127.0.0.1",
        "--dashboard-port", "Default: 8088", "--windows", "Default: 60", "--history", "Default: 15m", "--stale-after",
        "Default: 2m", "--metrics-topics",
        "Default: fleet.metrics.ultraserver,fleet.metrics.site,fleet.metrics.fleet,fleet.metrics.tenant",
        "--alerts-topic",
        "Default: fleet.alerts", "--config");
  }

  @Test
  void theJobsFleetFileSaysWhichSitesAreTheJobs(@TempDir Path dir) throws Exception {
    Path fleet = dir.resolve("fleet.yaml");
    Files.writeString(fleet, String.join("\n",
        "sites:",
        "  - id: eu-north",
        "    name: Stockholm",
        "    timezone: Europe/Stockholm",
        "    share: 1.0",
        "    pue: 1.1",
        "    pue_source: test",
        "    grid_region: SE3",
        "    grid_factor_g_per_kwh: 30",
        "    grid_factor_source: test",
        "    solar_peak_share: 0.1",
        "    wind_mean_share: 0.3",
        "    wind_variability: 0.1",
        ""));
    CommandLine given = DashboardCommand.commandLine();
    given.parseArgs("--config", fleet.toString());
    assertThat(given.<DashboardCommand>getCommand().settings().fleet().sites()).containsExactly("eu-north");

    CommandLine byDefault = DashboardCommand.commandLine();
    byDefault.parseArgs();
    assertThat(byDefault.<DashboardCommand>getCommand().settings().fleet().sites())
        .containsExactlyInAnyOrder("us-in", "us-pa", "us-ms");
  }

  @Test
  void badFlagsFailAtOnceNamingTheFix() {
    assertFails(run("--dashboard-port", "70000"), "--dashboard-port must be 0..65535");
    assertFails(run("--windows", "0"), "--windows must be 1..10000");
    assertFails(run("--history", "5 minutes"), "not a duration");
    assertFails(run("--stale-after", "0s"), "--stale-after must be a positive duration");
    assertFails(run("--bind", "no-such-host.invalid"), "--bind takes an address of this machine");
    assertFails(run("--alerts-topic", "fleet.metrics.site"), "--alerts-topic must name a topic");
    assertFails(run("--bootstrap-servers", "not-a-host-port"), "check --bootstrap-servers");
    assertFails(run("--prot", "1"), "Unknown option");
    assertFails(run("--config", "/no/such/fleet.yaml"), "no such file");
  }

  private static void assertFails(Run run, String message) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(CliErrors.USAGE);
    assertThat(run.err()).contains(message);
  }
}
