package io.fleetpulse.query;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The shared --data flag, as the demo and the job spell it: the output root holding one folder per table. */
public final class LakeOptions {

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data",
      description = "Data folder: the output root of the demo or the job, holding a folder per table "
          + "(ultraserver_window/, site_window/, alerts/, ...). Default: ${DEFAULT-VALUE}.")
  Path data;

  public Path data() {
    return data;
  }
}
