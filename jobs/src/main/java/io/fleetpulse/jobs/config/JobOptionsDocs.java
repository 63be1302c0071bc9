package io.fleetpulse.jobs.config;

import org.apache.flink.configuration.ConfigOption;

/** Renders docs/job-options.md from {@link JobOptions}, so the page cannot drift from the code. */
public final class JobOptionsDocs {

  private JobOptionsDocs() {}

  public static String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Metrics job options\n\n")
        .append("Generated from `jobs/src/main/java/io/fleetpulse/jobs/config/JobOptions.java` (a test fails when this page "
            + "is stale). Every option is a flag of `./fleetpulse job` and of the job jar under `flink run`, and an "
            + "environment variable; a flag wins over the environment, which wins over the default.\n\n")
        .append("| flag | environment | default | description |\n")
        .append("|---|---|---|---|\n");
    for (ConfigOption<?> o : JobOptions.ALL) {
      sb.append("| `--").append(o.key()).append(' ').append(JobCli.paramLabel(o)).append("` | `")
          .append(JobOptions.envVar(o)).append("` | ").append(JobCli.defaultText(o)).append(" | ")
          .append(JobOptions.describe(o).replace("|", "\\|")).append(" |\n");
    }
    sb.append("| `--kafka-property KEY=VALUE` | | | A Kafka client property for every Kafka client of the job "
        + "(repeatable), e.g. `security.protocol=SASL_SSL`. |\n");
    return sb.toString();
  }
}
