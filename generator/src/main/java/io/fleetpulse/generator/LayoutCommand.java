package io.fleetpulse.generator;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.cli.CliErrors;
import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.FleetOptions;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fleetpulse layout}: what every UltraServer is and runs, as CSV. The window tables carry site and generation
 * but not placement or job; this table, a pure function of the fleet config, joins them on ultraserver_id.
 */
@Command(
    name = "layout",
    mixinStandardHelpOptions = true,
    version = "FleetPulse 0.1.0",
    sortOptions = false,
    description = {
      "Writes the fleet's layout as CSV, one row per UltraServer: ultraserver_id, site, timezone (the site's), "
          + "generation, max_power_w (the generation's), placement (TRAINING, INFERENCE, FLEX, RESERVED_IDLE, "
          + "MAINTENANCE), workload_id (-1 for none), workload_first_ultraserver, workload_ultraservers. Same flags as "
          + "generate: the layout is a pure function of the fleet config, so it matches any run with the same config.",
      "Join it to the window tables on ultraserver_id, e.g. in DuckDB: read_csv('layout.csv'); "
          + "docs/examples/fleet-day.sql does."
    })
public final class LayoutCommand implements Callable<Integer> {

  public static final String HEADER = "ultraserver_id,site,timezone,generation,max_power_w,placement,workload_id,"
      + "workload_first_ultraserver,workload_ultraservers";

  static final Opt<Path> OUT = Opt.path("out", "FILE").defaultText("standard output")
      .describe("Where to write the CSV (its folder must exist).");

  static final List<Opt<?>> OPTIONS = Commands.options(SharedOptions.FLEET, List.of(OUT));

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static CommandLine commandLine() {
    return Commands.commandLine(new LayoutCommand(), OPTIONS);
  }

  @Override
  public Integer call() throws IOException {
    Flags flags = Flags.of(spec, OPTIONS);
    Path out = flags.get(OUT);
    FleetConfig config = FleetOptions.from(flags).load();
    FleetLayout layout = new FleetLayout(config);
    if (out == null) {
      write(config, layout, spec.commandLine().getOut());
      spec.commandLine().getOut().flush();
    } else {
      if (out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
        throw new IllegalArgumentException("--out " + out + ": no such folder " + out.toAbsolutePath().getParent());
      }
      try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        write(config, layout, w);
      }
      System.err.printf("layout: %,d UltraServers written to %s%n", layout.ultraservers(), out);
    }
    return 0;
  }

  /** The CSV: a header line, then one line per UltraServer in id order. */
  public static void write(FleetConfig config, FleetLayout layout, Writer w) throws IOException {
    PrintWriter p = new PrintWriter(w);
    p.println(HEADER);
    int us = 0;
    while (us < layout.ultraservers()) {
      int first = layout.workloadFirstUltraserver(us);
      int end = us;
      while (end < layout.ultraservers() && layout.workloadFirstUltraserver(end) == first) end++;
      for (int u = us; u < end; u++) {
        p.print(u);
        p.print(',');
        p.print(layout.siteId(u));
        p.print(',');
        p.print(config.site(layout.siteId(u)).timezone().getId());
        p.print(',');
        p.print(layout.generationId(u));
        p.print(',');
        p.print(config.generation(layout.generationId(u)).maxPowerW());
        p.print(',');
        p.print(layout.placement(u));
        p.print(',');
        p.print(layout.workload(u));
        p.print(',');
        p.print(layout.workload(u) < 0 ? -1 : first);
        p.print(',');
        p.println(layout.workload(u) < 0 ? 0 : end - first);
      }
      us = end;
    }
    p.flush();
  }

  public static void main(String[] args) {
    System.exit(CliErrors.install(commandLine()).execute(args));
  }
}
