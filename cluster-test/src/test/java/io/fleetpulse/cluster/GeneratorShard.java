package io.fleetpulse.cluster;

import io.fleetpulse.testing.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One generator process, {@code GenerateCommand --shard i/N}: its own JVM, its own producer. */
public final class GeneratorShard {

  static final String MAIN = "io.fleetpulse.generator.GenerateCommand";

  private GeneratorShard() {}

  /** Starts shard {@code index} of {@code count} with the given fleet and run flags. */
  public static ChildJvm start(int index, int count, String bootstrapServers, List<String> runFlags, Path dir,
      ChildJvms jvms) throws java.io.IOException {
    Path log4j = Log4jConfig.write(dir.resolve("log4j2-generator.properties"), "WARN",
        java.util.Map.of("io.fleetpulse", "INFO"));
    List<String> args = new ArrayList<>(List.of("--shard", index + "/" + count, "--bootstrap-servers", bootstrapServers));
    args.addAll(runFlags);
    return jvms.add(ChildJvm.start("generator-" + index, Classpaths.test(),
        List.of("-Xmx256m", "-XX:+UseParallelGC", "-Dlog4j2.configurationFile=" + log4j.toUri()),
        MAIN, args, dir.resolve("generator-" + index + ".log")));
  }
}
