package io.fleetpulse.runner;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Flink's local MiniCluster with its web UI, bound to loopback: the "cluster" of the demo and of fleetpulse job. */
public final class LocalFlink {

  private LocalFlink() {}

  /** The reporter's name in Flink's configuration: {@code metrics.reporter.prom.*}. */
  static final String REPORTER = "prom";
  static final String PROMETHEUS_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
  /** Where the reporter listens unless told otherwise: its own default, and what monitoring/prometheus/ scrapes. */
  public static final int DEFAULT_METRICS_PORT = 9249;

  /** A MiniCluster without a metrics endpoint. */
  public static StreamExecutionEnvironment environment(int webPort, int parallelism) {
    return environment(webPort, parallelism, -1);
  }

  /**
   * A MiniCluster whose web UI is on {@code webPort} and whose metrics (the JobManager's, the TaskManager's and every
   * operator's, the job's own among them) are served by Flink's own Prometheus reporter on {@code metricsPort}, at
   * /metrics; a negative port serves none. The reporter listens on every interface: it has no bind address.
   */
  public static StreamExecutionEnvironment environment(int webPort, int parallelism, int metricsPort) {
    Configuration c = new Configuration();
    if (metricsPort >= 0) {
      c.set(reporterOption("factory.class"), PROMETHEUS_FACTORY);
      c.set(reporterOption("port"), Integer.toString(metricsPort));
    }
    c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    c.set(RestOptions.ADDRESS, "127.0.0.1");
    c.set(RestOptions.PORT, webPort);
    c.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
    c.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    // Accumulators (event-time progress for --duration) reach the client with heartbeats: make them frequent.
    c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(2));
    return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(c);
  }

  private static org.apache.flink.configuration.ConfigOption<String> reporterOption(String key) {
    return ConfigOptions.key("metrics.reporter." + REPORTER + "." + key).stringType().noDefaultValue();
  }

  /**
   * The port of a local metrics endpoint: off for a negative one, else {@code asked} if it is free (0: any free one),
   * else the next free one. Refuses a port that cannot be one, naming {@code flag}.
   */
  public static int metricsPort(int asked, String flag) {
    if (checkMetricsPort(asked, flag) < 0) return -1;
    // Flink's reporter binds the wildcard address, so that is where the port must be free.
    try (java.net.ServerSocket s = new java.net.ServerSocket(asked)) {
      return s.getLocalPort();
    } catch (java.io.IOException busy) {
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        return s.getLocalPort();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("no free port for " + flag, e);
      }
    }
  }

  /** {@code asked}, if it is -1 (off), 0 (any free port) or a port; else an error naming {@code flag}. */
  public static int checkMetricsPort(int asked, String flag) {
    if (asked < -1 || asked > 65_535) {
      throw new IllegalArgumentException(flag + " must be -1 (off), 0 (any free port) or a port up to 65535, got "
          + asked);
    }
    return asked;
  }

  /**
   * The parallelism of a job on a local MiniCluster: as asked, or for -1 one per core but no more than the topic's
   * partitions (a source subtask without a partition would only idle).
   */
  public static int parallelism(int asked, int partitions) {
    if (asked == 0 || asked < -1) throw new IllegalArgumentException("--parallelism must be -1 or >= 1, got " + asked);
    return asked > 0 ? asked : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), partitions));
  }

  /** The port if it is free on loopback, else any free one. */
  public static int freePortOr(int preferred) {
    return io.fleetpulse.platform.LocalMachine.freePortOr(preferred);
  }
}
