package io.fleetpulse.runner;

import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.jobs.FleetMetricsJob;
import io.fleetpulse.jobs.config.JobCli;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fleetpulse job}: the metrics job on a local Flink MiniCluster (with web UI) against any Kafka. On a Flink
 * cluster, submit the job jar instead ({@code flink run jobs/target/fleetpulse-jobs.jar}): same flags.
 */
final class LocalJobCommand extends JobCli.Command {

  static CommandSpec spec() {
    LocalJobCommand command = new LocalJobCommand();
    CommandSpec spec = JobCli.spec("job", command, List.of(SharedOptions.WEB_PORT, SharedOptions.METRICS_PORT));
    spec.usageMessage().description(spec.usageMessage().description()[0]
        + " Here it runs on a local Flink MiniCluster whose web UI is at http://127.0.0.1:<web-port>; on a Flink "
        + "cluster submit jobs/target/fleetpulse-jobs.jar with flink run and the same flags.");
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    JobConfig cfg = config();
    Flags local = extraFlags();
    int port = LocalFlink.freePortOr(local.get(SharedOptions.WEB_PORT));
    int metricsPort = LocalFlink.metricsPort(local.get(SharedOptions.METRICS_PORT),
        SharedOptions.METRICS_PORT.flag());
    int parallelism = LocalFlink.parallelism(cfg.get(JobOptions.PARALLELISM), cfg.get(JobOptions.PARTITIONS));
    cfg.set(JobOptions.PARALLELISM, parallelism);
    System.err.println("job: Flink web UI at http://127.0.0.1:" + port + ", reading " + cfg.get(JobOptions.TELEMETRY_TOPIC)
        + " at " + cfg.get(JobOptions.BOOTSTRAP_SERVERS) + ", tables under " + cfg.dataUri()
        + (metricsPort < 0 ? "" : ", Prometheus metrics at http://127.0.0.1:" + metricsPort + "/metrics"));
    FleetMetricsJob.run(LocalFlink.environment(port, parallelism, metricsPort), cfg);
    return 0;
  }
}
