package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flag table of dashboard/README.md stays true: every flag of the command, with the default it really has. */
class DashboardDocsTest {

  @Test
  void everyFlagIsDocumentedWithItsDefault() throws Exception {
    String doc = Files.readString(Path.of("README.md"));
    CommandLine.Model.CommandSpec spec = DashboardCommand.commandLine().getCommandSpec();
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) continue;
      String flag = o.longestName();
      assertThat(doc).as("dashboard/README.md documents %s", flag).contains("| `" + flag);
      io.fleetpulse.cli.Opt<?> opt = io.fleetpulse.cli.Commands.optOf(o);
      if (opt != null && opt.hasDefault() && !opt.isMultiple()) {
        String row = doc.lines().filter(l -> l.startsWith("| `" + flag)).findFirst().orElseThrow();
        assertThat(row).as("the row of %s names its default", flag).contains("`" + opt.defaultText() + "`");
      }
    }
  }
}
