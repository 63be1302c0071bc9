package io.fleetpulse.runner;

import io.fleetpulse.jobs.FleetMetricsJob;
import io.fleetpulse.jobs.config.JobCli;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code fleetpulse job}: the metrics job on a local Flink MiniCluster (with web UI) against any Kafka. On a Flink
 * cluster, submit the job jar instead ({@code flink run jobs/target/fleetpulse-jobs.jar}): same flags.
 */
final class LocalJobCommand extends JobCli.Command {

  static final String WEB_PORT = "--web-port";

  static CommandSpec spec() {
    LocalJobCommand command = new LocalJobCommand();
    CommandSpec spec = JobCli.spec("job", command);
    spec.usageMessage().description(spec.usageMessage().description()[0]
        + " Here it runs on a local Flink MiniCluster whose web UI is at http://127.0.0.1:<web-port>; on a Flink "
        + "cluster submit jobs/target/fleetpulse-jobs.jar with flink run and the same flags.");
    spec.addOption(OptionSpec.builder(WEB_PORT).paramLabel("PORT").type(int.class).defaultValue("8081")
        .description("Port of the local Flink web UI (the next free one if taken). Default: 8081.").build());
    spec.addOption(OptionSpec.builder("--slots").paramLabel("N").type(int.class).defaultValue("2")
        .description("Task slots of the local MiniCluster; also the parallelism unless --parallelism is set. "
            + "Default: 2.").build());
    return spec;
  }


  @Override
  public Integer call() throws Exception {
    JobConfig cfg = config();
    var parsed = JobCli.parseResultOf(this);
    int port = LocalFlink.freePortOr(parsed.matchedOptionValue(WEB_PORT, 8081));
    int slots = parsed.matchedOptionValue("--slots", 2);
    if (cfg.get(JobOptions.PARALLELISM) < 0) cfg.set(JobOptions.PARALLELISM, slots);
    System.err.println("job: Flink web UI at http://127.0.0.1:" + port + ", reading " + cfg.get(JobOptions.TELEMETRY_TOPIC)
        + " at " + cfg.get(JobOptions.BOOTSTRAP_SERVERS) + ", tables under " + cfg.dataUri());
    FleetMetricsJob.run(LocalFlink.environment(port, Math.max(slots, cfg.get(JobOptions.PARALLELISM))), cfg);
    return 0;
  }
}
