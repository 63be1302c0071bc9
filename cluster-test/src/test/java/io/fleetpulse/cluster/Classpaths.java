package io.fleetpulse.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The classpaths the test's child JVMs run on, and the files the build leaves for the test. */
public final class Classpaths {

  private Classpaths() {}

  /**
   * The Flink "distribution": runtime, streaming, clients, file connector, web UI and Log4j, as the build resolved
   * them (the module's provided scope, see cluster-test/pom.xml). Nothing of the job's own dependencies is on it.
   */
  public static String flink() {
    Path file = Path.of(required("fleetpulse.flink.classpath"));
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("no Flink classpath at " + file + ": build with ./mvnw -pl cluster-test -am verify", e);
    }
  }

  /** The test's own classpath: Kafka's broker (kafka.Kafka), the generator, Log4j. */
  public static String test() {
    return System.getProperty("java.class.path");
  }

  /** The deployable job jar, jobs/target/fleetpulse-jobs.jar. */
  public static Path jobJar() {
    Path jar = Path.of(required("fleetpulse.job.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no job jar at " + jar + ": build it with ./mvnw -pl jobs -am package -DskipTests");
    }
    return jar;
  }

  /** Where a run keeps its logs, Kafka logs, checkpoints and Parquet: cluster-test/target/cluster/NAME. */
  public static Path workDir(String name) {
    return Path.of(required("fleetpulse.cluster.dir")).resolve(name).toAbsolutePath().normalize();
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run through Maven "
          + "(./mvnw -pl cluster-test -am verify), which sets it in cluster-test/pom.xml");
    }
    return value;
  }
}
