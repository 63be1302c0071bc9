package io.fleetpulse.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/job-options.md is generated; this keeps it current. Regenerate with -Dupdate-docs=true. */
class JobOptionsDocsTest {

  static final Path PAGE = Path.of("..", "docs", "job-options.md");

  @Test
  void pageMatchesTheOptions() throws Exception {
    String rendered = JobOptionsDocs.render();
    if (Boolean.getBoolean("update-docs")) Files.writeString(PAGE, rendered);
    assertThat(PAGE).exists();
    assertThat(Files.readString(PAGE))
        .as("docs/job-options.md is stale: run ./mvnw -pl jobs test -Dtest=JobOptionsDocsTest -Dupdate-docs=true")
        .isEqualTo(rendered);
  }
}
