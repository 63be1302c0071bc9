package io.fleetpulse.runner;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Flink's local MiniCluster with its web UI, bound to loopback: the "cluster" of the demo and of fleetpulse job. */
public final class LocalFlink {

  private LocalFlink() {}

  public static StreamExecutionEnvironment environment(int webPort, int parallelism) {
    Configuration c = new Configuration();
    c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    c.set(RestOptions.ADDRESS, "127.0.0.1");
    c.set(RestOptions.PORT, webPort);
    c.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
    c.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    // Accumulators (event-time progress for --duration) reach the client with heartbeats: make them frequent.
    c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(2));
    return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(c);
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
