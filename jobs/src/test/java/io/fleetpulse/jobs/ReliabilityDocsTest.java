package io.fleetpulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.schema.DeadLetterReason;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/reliability.md lists the dead-letter reasons once, as the code has them. Regenerate with -Dupdate-docs=true. */
class ReliabilityDocsTest {

  static final Path PAGE = Path.of("..", "docs", "reliability.md");
  static final String START = "<!-- reasons:start -->\n";
  static final String END = "<!-- reasons:end -->";

  static String table() {
    StringBuilder sb = new StringBuilder("| reason | what the job saw |\n|---|---|\n");
    for (DeadLetterReason r : DeadLetterReason.values()) {
      sb.append("| `").append(r.name()).append("` | ").append(r.meaning().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  @Test
  void theDeadLetterReasonsAreTheCodes() throws Exception {
    String page = Files.readString(PAGE);
    int from = page.indexOf(START);
    int to = page.indexOf(END);
    assertThat(from).as("the reasons block in docs/reliability.md").isNotNegative();
    String listed = page.substring(from + START.length(), to);
    if (Boolean.getBoolean("update-docs")) {
      Files.writeString(PAGE, page.substring(0, from + START.length()) + table() + page.substring(to));
      listed = table();
    }
    assertThat(listed).as("docs/reliability.md is stale: run ./mvnw -pl jobs -am test -Dtest=ReliabilityDocsTest "
        + "-Dupdate-docs=true -Dsurefire.failIfNoSpecifiedTests=false").isEqualTo(table());
  }
}
