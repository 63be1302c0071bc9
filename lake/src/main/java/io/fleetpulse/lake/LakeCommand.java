package io.fleetpulse.lake;

import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fleetpulse lake status|compact|retain|maintain}: maintenance of the Parquet lake under --data, safe to run
 * while the job writes and queries read (one pass at a time; the demo runs it by itself).
 */
@Command(
    name = "lake",
    mixinStandardHelpOptions = true,
    description = {
      "Maintenance of the Parquet lake under --data, safe while the job writes and queries read: 'compact' merges "
          + "each sealed partition's part files (one per subtask per checkpoint) into one sorted file, 'retain' "
          + "deletes old minute partitions once hour and day rows cover them (--retention), 'maintain' does both, "
          + "'status' counts files per table and partition.",
      "Readers see each row once throughout: the query views read the files a listing names (a compaction's files "
          + "or the ones they replace, never both). Every pass first finishes or undoes what an interrupted one left. "
          + "The lake stays plain Hive-partitioned Parquet (no table format: docs/design.md, 'The lake')."
    },
    footer = {"", "Examples:",
      "  fleetpulse lake status --data data",
      "  fleetpulse lake maintain --data data --retention minute=7d --retention chip_telemetry=1d",
      "  fleetpulse lake compact --data data --job-stopped --lake-grace 0s"})
public final class LakeCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new LakeCommand());
    cl.addSubcommand("status", Commands.commandLine(new Status(), LakeOptions.STATUS));
    cl.addSubcommand("compact", Commands.commandLine(new Pass(true, false, LakeOptions.COMPACT), LakeOptions.COMPACT));
    cl.addSubcommand("retain", Commands.commandLine(new Pass(false, true, LakeOptions.RETAIN), LakeOptions.RETAIN));
    cl.addSubcommand("maintain", Commands.commandLine(new Pass(true, true, LakeOptions.MAINTAIN),
        LakeOptions.MAINTAIN));
    return cl;
  }

  static Path data(Flags flags) {
    Path root = Path.of(flags.get(SharedOptions.DATA));
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("data folder " + root + " does not exist: pass --data DIR, the output root "
          + "of the demo or the job");
    }
    return root;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Per table: partitions, Parquet files read, the most files in one partition (on disk, waiting "
          + "ones included), bytes, partitions with a compaction in its grace period, retired partitions.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Flags flags = Flags.of(spec, LakeOptions.STATUS);
      Path root = data(flags);
      PrintWriter out = spec.commandLine().getOut();
      LakeStatus.print(root, out);
      if (flags.get(LakeOptions.EACH_PARTITION)) LakeStatus.printPartitions(root, out);
      out.flush();
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, sortOptions = false,
      description = "One maintenance pass: finishes or undoes an interrupted one, then does what the command "
          + "says, printing each partition it changes and a summary. A partition it cannot read is left as it was "
          + "and reported (exit code 1); the others go on.")
  static final class Pass implements Callable<Integer> {
    private final boolean compact;
    private final boolean retain;
    private final List<Opt<?>> options;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Pass(boolean compact, boolean retain, List<Opt<?>> options) {
      this.compact = compact;
      this.retain = retain;
      this.options = options;
    }

    @Override
    public Integer call() {
      Flags flags = Flags.of(spec, options);
      Path root = data(flags);
      LakeMaintenance.Settings settings = LakeOptions.settings(flags);
      PrintWriter err = spec.commandLine().getErr();
      if (retain && settings.retention().off()) {
        err.println("lake: retention is off (no --retention TABLE=AGE): nothing will be retired");
      }
      PassReport report = LakeMaintenance.of(root, settings).run(compact, retain, line -> {
        err.println("lake: " + line);
        err.flush();
      });
      err.println(report.summary());
      err.flush();
      return report.skipped() || !report.problems().isEmpty() ? 1 : 0;
    }
  }
}
