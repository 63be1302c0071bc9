package io.fleetpulse.runner;

import io.fleetpulse.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code ./fleetpulse demo} as its own process, as a user runs it: so it can be killed with SIGKILL. */
final class DemoProcess {

  private DemoProcess() {}

  static ChildJvm start(String name, Path log, List<String> args) {
    List<String> all = new ArrayList<>(List.of("demo"));
    all.addAll(args);
    return ChildJvm.start(name, System.getProperty("java.class.path"), List.of("-Xmx1200m", "-XX:+UseParallelGC"),
        FleetPulseCli.class.getName(), all, log);
  }

  /** The committed Parquet files of a lake (in-progress files are hidden: their names start with a dot). */
  static List<Path> committedFiles(Path data) throws IOException {
    if (!Files.isDirectory(data)) return List.of();
    try (Stream<Path> files = Files.walk(data)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-"))
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.toString().contains("/_")).sorted().toList();
    }
  }
}
