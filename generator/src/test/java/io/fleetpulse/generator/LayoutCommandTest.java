package io.fleetpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.Placement;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LayoutCommandTest {

  @TempDir Path dir;

  @Test
  void writesOneRowPerUltraServerMatchingTheLayout() throws Exception {
    Path out = dir.resolve("layout.csv");
    int code = LayoutCommand.commandLine().execute("--chips", "6400", "--set", "workloads.max_ultraservers_per_job=8",
        "--out", out.toString());
    assertThat(code).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo(LayoutCommand.HEADER);
    FleetLayout layout = new FleetLayout(FleetConfigLoader.load(null,
        Map.of("fleet.chips", "6400", "workloads.max_ultraservers_per_job", "8")));
    assertThat(lines).hasSize(1 + layout.ultraservers());
    for (int us = 0; us < layout.ultraservers(); us++) {
      String[] f = lines.get(1 + us).split(",");
      assertThat(Integer.parseInt(f[0])).isEqualTo(us);
      assertThat(f[1]).isEqualTo(layout.siteId(us));
      assertThat(f[2]).isEqualTo(Map.of("us-in", "America/Indiana/Indianapolis", "us-pa", "America/New_York",
          "us-ms", "America/Chicago").get(f[1]));
      assertThat(f[3]).isEqualTo(layout.generationId(us));
      assertThat(Double.parseDouble(f[4])).isEqualTo(500.0);
      assertThat(Placement.valueOf(f[5])).isEqualTo(layout.placement(us));
      assertThat(Integer.parseInt(f[6])).isEqualTo(layout.workload(us));
      if (layout.workload(us) >= 0) {
        int first = Integer.parseInt(f[7]);
        int size = Integer.parseInt(f[8]);
        assertThat(us).isBetween(first, first + size - 1);
        assertThat(layout.workload(first)).isEqualTo(layout.workload(us));
        assertThat(size).isBetween(1, 8);
      }
    }
  }

  @Test
  void aMissingFolderIsNamed() {
    StringWriter err = new StringWriter();
    CommandLine cl = io.fleetpulse.cli.CliErrors.install(LayoutCommand.commandLine());
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("--chips", "640", "--out", dir.resolve("no/such/layout.csv").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such folder");
  }
}
