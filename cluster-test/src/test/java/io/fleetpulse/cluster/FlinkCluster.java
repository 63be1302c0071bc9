package io.fleetpulse.cluster;

import io.fleetpulse.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A Flink standalone session cluster of separate JVMs on loopback, started the way Flink's own scripts do it:
 * {@code StandaloneSessionClusterEntrypoint} (jobmanager.sh) and {@code TaskManagerRunner} (taskmanager.sh), each
 * with {@code --configDir} holding a config.yaml, and JVM memory flags derived from that config by the same code the
 * scripts call (BashJavaUtils). The REST API and web UI are the JobManager's.
 */
public final class FlinkCluster {

  static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  static final List<String> JDK_OPENS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final Path dir;
  private final ChildJvms jvms;
  private final int slotsPerTaskManager;
  private final int restPort = Ports.free();
  private final int rpcPort = Ports.free();
  private final Map<String, String> extraConfig;
  private final Map<String, ChildJvm> taskManagers = new LinkedHashMap<>();
  private Path confDir;
  private Path log4j;
  private String classpath;
  private ChildJvm jobManager;
  private FlinkRest rest;

  public FlinkCluster(Path dir, int slotsPerTaskManager, Map<String, String> extraConfig, ChildJvms jvms) {
    this.dir = dir;
    this.slotsPerTaskManager = slotsPerTaskManager;
    this.extraConfig = extraConfig;
    this.jvms = jvms;
  }

  /** Writes the config, starts the JobManager and waits for its REST API. */
  public FlinkCluster start() throws Exception {
    classpath = Classpaths.flink();
    confDir = writeConfig();
    log4j = Log4jConfig.write(dir.resolve("log4j2.properties"), "INFO",
        Map.of("org.apache.flink.runtime.checkpoint", "INFO", "org.apache.pekko", "WARN",
            "org.apache.flink.shaded", "WARN", "org.apache.kafka", "WARN", "org.apache.hadoop", "WARN",
            "org.apache.parquet", "WARN"));
    Configuration conf = GlobalConfiguration.loadConfiguration(confDir.toString());
    JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
    List<String> jvmArgs = new ArrayList<>(split(JobManagerProcessUtils.generateJvmParametersStr(spec, conf)));
    jvmArgs.addAll(commonJvmArgs("jobmanager"));
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
    jobManager = jvms.add(ChildJvm.start("jobmanager", classpath, jvmArgs, JOB_MANAGER_MAIN, args,
        dir.resolve("jobmanager.log")));
    rest = new FlinkRest("http://" + Ports.HOST + ":" + restPort);
    Await.until("the JobManager's REST API at " + rest.base(), Duration.ofMinutes(2), () -> {
      if (!jobManager.isAlive()) throw new IllegalStateException("the JobManager exited:\n" + jobManager.tail(40));
      return rest.overview().has("taskmanagers");
    });
    return this;
  }

  /** Starts a TaskManager with a fixed resource id (how the REST API names it) and waits until it registered. */
  public ChildJvm startTaskManager(String id) throws Exception {
    Configuration conf = GlobalConfiguration.loadConfiguration(confDir.toString());
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
    List<String> jvmArgs = new ArrayList<>(split(ProcessMemoryUtils.generateJvmParametersStr(spec)));
    jvmArgs.addAll(commonJvmArgs(id));
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString(), "-D", "taskmanager.resource-id=" + id));
    args.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
    ChildJvm tm = jvms.add(ChildJvm.start(id, classpath, jvmArgs, TASK_MANAGER_MAIN, args, dir.resolve(id + ".log")));
    taskManagers.put(id, tm);
    Await.until("TaskManager " + id + " registered", Duration.ofMinutes(2), () -> {
      if (!tm.isAlive()) throw new IllegalStateException(id + " exited:\n" + tm.tail(40));
      return rest.taskManagerIds().contains(id);
    });
    return tm;
  }

  /** SIGKILLs a TaskManager: its slots and tasks vanish without notice, as when a machine dies. */
  public void killTaskManager(String id) {
    taskManagers.get(id).kill();
  }

  public FlinkRest rest() {
    return rest;
  }

  public ChildJvm jobManager() {
    return jobManager;
  }

  public int slotsPerTaskManager() {
    return slotsPerTaskManager;
  }

  private List<String> commonJvmArgs(String name) throws IOException {
    List<String> args = new ArrayList<>(split(GlobalConfiguration.loadConfiguration(confDir.toString())
        .get(CoreOptions.FLINK_JVM_OPTIONS)));
    args.addAll(List.of("-XX:+UseParallelGC", "-Dlog.file=" + dir.resolve(name + ".log"),
        "-Dlog4j2.configurationFile=" + log4j.toUri(), "-Dlog4j.configurationFile=" + log4j.toUri()));
    return args;
  }

  private Path writeConfig() throws IOException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", Ports.HOST);
    c.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    c.put("jobmanager.bind-host", Ports.HOST);
    c.put("jobmanager.memory.process.size", "768m");
    c.put("taskmanager.bind-host", Ports.HOST);
    c.put("taskmanager.host", Ports.HOST);
    c.put("taskmanager.numberOfTaskSlots", String.valueOf(slotsPerTaskManager));
    // A small TaskManager: the job keeps state on the heap (hashmap backend), so managed memory is not used.
    c.put("taskmanager.memory.process.size", "1024m");
    c.put("taskmanager.memory.managed.size", "0m");
    c.put("rest.address", Ports.HOST);
    c.put("rest.bind-address", Ports.HOST);
    c.put("rest.port", String.valueOf(restPort));
    c.put("web.upload.dir", dir.resolve("web-upload").toString());
    c.put("io.tmp.dirs", dir.resolve("tmp").toString());
    c.put("blob.storage.directory", dir.resolve("blobs").toString());
    // A killed TaskManager is noticed within seconds, not after the 50 s default heartbeat timeout.
    c.put("heartbeat.interval", "1000");
    c.put("heartbeat.timeout", "6000");
    c.put("restart-strategy.type", "exponential-delay");
    c.put("restart-strategy.exponential-delay.initial-backoff", "1s");
    c.put("restart-strategy.exponential-delay.max-backoff", "10s");
    // What the config.yaml of Flink's distribution sets, and its scripts pass to every JVM: on Java 17, Flink's
    // serializers and translators reflect into these JDK packages.
    c.put(CoreOptions.FLINK_JVM_OPTIONS.key(), String.join(" ", JDK_OPENS));
    c.putAll(extraConfig);
    StringBuilder yaml = new StringBuilder("# written by the cluster test; Flink 2.x reads config.yaml\n");
    c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    Files.createDirectories(dir.resolve("web-upload"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(conf.resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
    return conf;
  }

  private static List<String> split(String flags) {
    return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
