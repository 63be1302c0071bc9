package io.fleetpulse.bench;

import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.FleetOptions;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.PeakMemory;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.model.Durations;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Placement;
import io.fleetpulse.query.Report;
import io.fleetpulse.query.Reports;
import io.fleetpulse.schema.Tables;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fleetpulse bench lake}: every canned report's time over a lake of a week of the fleet, of the shape the
 * pipeline keeps with retention (minute tables for the last days, hour and day tables for all), built once from the
 * fleet model ({@link BenchLake}) and timed through the query CLI's own path ({@link ReportTimes}).
 */
@Command(
    name = "lake",
    mixinStandardHelpOptions = true,
    version = "FleetPulse 0.1.0",
    sortOptions = false,
    description = {
      "Times every canned report over a synthetic lake of --days of the fleet at 1-minute windows, shaped as the "
          + "pipeline keeps it with retention and compaction: the minute tables (*_window) for the last --minute-days, "
          + "*_hour of every level and *_day over all --days, and alerts, one file per table and hour partition (one "
          + "per day partition for *_day). The raw archive (chip_telemetry) is left out: at 1M chips and 10 s samples "
          + "it is 8.6 billion rows a day, and no report reads it.",
      "Values come from the fleet model (placements, workloads and tenants, checkpoints, inference day curves, "
          + "renewable shares and hourly grid figures), summed and priced by the job's own code; an hour row is the "
          + "sum of its minutes, a roll-up the sum of its UltraServers, a day the sum of its hours. The lake is "
          + "built once under --dir (minutes: progress is printed) and reused by later runs of the same shape.",
      "Prints rows, bytes and files per table, files per table per day, then each report (Reports.all(), as "
          + "./fleetpulse query --report runs it) cold (first run on a fresh connection) and warm (median of --runs), "
          + "with the rows it returned. Goal: every report under 1 s warm. Figures are printed, never asserted."
    })
final class LakeBench implements Callable<Integer> {

  static final long WARM_GOAL_MS = 1_000;

  static final Opt<Integer> DAYS = Opt.integer("days").defaultValue(7)
      .describe("Days of the lake, UTC days from " + BenchLake.FIRST_DAY.toString().substring(0, 10)
          + ": the span of the hour and day tables and the alerts.");

  static final Opt<Integer> MINUTE_DAYS = Opt.integer("minute-days").defaultValue(1)
      .describe("The last days that keep their minute tables (ultraserver_window, site_window, ...), as retention "
          + "leaves them; at most --days.");

  static final Opt<Path> DIR = Opt.path("dir", "DIR").defaultValue(Path.of("/tmp/fleetpulse-lake-bench"))
      .describe("Folder of the bench lakes: one sub-folder per shape (lake-CHIPSc-DAYSd-MINUTE_DAYSm), built when "
          + "missing or of another fleet, reused otherwise. 1M chips, 7 days, 1 minute day: about 3.7 GB.");

  static final Opt<Integer> RUNS = Opt.integer("runs").defaultValue(3)
      .describe("Warm runs of each report after its cold run; the median is the warm figure.");

  static final Opt<Integer> SKETCH_BYTES = Opt.integer("sketch-bytes").defaultValue(0)
      .describe("Random bytes in each UltraServer row's utilization_sketch instead of a small real sketch (a "
          + "10 s fleet's sketches average 1,172): file sizes grow, what reports read does not. At 1M chips 1172 adds "
          + "about 25 GB per minute day and 3 GB per week of UltraServer hours.");

  static final Opt<Boolean> REBUILD = Opt.bool("rebuild")
      .describe("Build the lake again even when one of this shape is there.");

  static final List<Opt<?>> OPTIONS = Commands.options(SharedOptions.FLEET,
      List.of(DAYS, MINUTE_DAYS, DIR, RUNS, SKETCH_BYTES, REBUILD));

  static CommandLine commandLine() {
    return Commands.commandLine(new LakeBench(), OPTIONS);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Flags flags = Flags.of(spec, OPTIONS);
    FleetOptions fleet = FleetOptions.from(flags);
    int days = flags.get(DAYS);
    int minuteDays = flags.get(MINUTE_DAYS);
    int runs = flags.get(RUNS);
    int sketchBytes = flags.get(SKETCH_BYTES);
    if (days < 1) throw new IllegalArgumentException("--days must be >= 1, got " + days);
    if (minuteDays < 0 || minuteDays > days) {
      throw new IllegalArgumentException("--minute-days must be in [0, --days " + days + "], got " + minuteDays);
    }
    if (runs < 1) throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
    if (sketchBytes < 0) throw new IllegalArgumentException("--sketch-bytes must be >= 0, got " + sketchBytes);
    PrintWriter out = spec.commandLine().getOut();
    FleetConfig config = fleet.load();
    FleetModel model = new FleetModel(config);
    // Which fleet, for the reuse marker: chips, interval and seed are in the shape as resolved, so --chips 1000000
    // finds the lake built without --chips.
    Map<String, String> set = new java.util.TreeMap<>(fleet.overrides());
    set.keySet().removeAll(List.of("fleet.chips", "fleet.interval", "fleet.seed"));
    String source = (fleet.configFile() == null ? "built-in" : fleet.configFile().toAbsolutePath().toString())
        + (set.isEmpty() ? "" : " " + set);
    BenchLake.Shape shape = new BenchLake.Shape(model, days, minuteDays, sketchBytes, source);
    Path lake = flags.get(DIR).resolve(shape.folderName());
    int cores = Runtime.getRuntime().availableProcessors();
    long placed = java.util.stream.IntStream.range(0, model.layout().ultraservers())
        .filter(us -> model.layout().placement(us) != Placement.MAINTENANCE).count();
    out.printf("FleetPulse bench lake: %,d chips (%,d UltraServers, %,d outside maintenance), a sample every %s; "
            + "%d days from %s, minute tables for the last %d; Java %s, %d cores, max heap %,d MiB%n",
        config.fleet().chips(), config.fleet().ultraservers(), placed, Durations.format(config.fleet().interval()),
        days, BenchLake.FIRST_DAY.toString().substring(0, 10), minuteDays, Runtime.version().feature(), cores,
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    if (!flags.get(REBUILD) && BenchLake.isBuilt(lake, shape)) {
      out.printf("bench lake: %s: reusing the lake built before (%s)%n", lake, shape.describe());
    } else {
      out.printf("bench lake: %s: building (%s) on %d threads%n", lake, shape.describe(), cores);
      out.flush();
      new BenchLake(shape, lake).build(cores, out);
    }
    printTables(lake, out);
    out.printf("%nbench lake: reports as ./fleetpulse query --report runs them (LakeSql, DuckDB threads %d, memory "
        + "limit %s, without the CLI's timeout and row cap); cold = first run on a fresh connection, warm = median of "
        + "%d more; load average %.1f%n", ReportTimes.LIMITS.threads(), ReportTimes.LIMITS.memoryLimit(), runs,
        loadAverage());
    out.flush();
    List<ReportTimes.Times> all = new ArrayList<>();
    for (Report report : Reports.all()) {
      ReportTimes.Times t = ReportTimes.time(lake, report, runs);
      all.add(t);
      if (t.error() != null) {
        out.printf("  %-28s FAILED: %s%n", t.report(), t.error());
      } else {
        out.printf("  %-28s %,9d rows  cold %,7d ms  warm %,7d ms (min %,d, max %,d)%n", t.report(), t.rows(),
            t.coldMs(), t.medianMs(), t.warmMs()[0], t.warmMs()[t.warmMs().length - 1]);
      }
      out.flush();
    }
    List<ReportTimes.Times> ok = all.stream().filter(t -> t.error() == null).toList();
    ReportTimes.Times slowest = ok.stream().max(java.util.Comparator.comparingLong(ReportTimes.Times::medianMs))
        .orElse(null);
    if (slowest != null) {
      out.printf("bench lake: slowest warm: %s, %,d ms; goal every report under %,d ms warm: %s%n", slowest.report(),
          slowest.medianMs(), WARM_GOAL_MS, slowest.medianMs() < WARM_GOAL_MS && ok.size() == all.size() ? "met"
              : "NOT met");
    }
    out.printf("bench lake: memory: %s; load average %.1f (other processes move the figures)%n",
        PeakMemory.describe(), loadAverage());
    out.flush();
    return ok.size() == all.size() ? 0 : 1;
  }

  /** The machine's load over the last minute: on 2 cores, above 2 means the figures shared the CPU. */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Rows, bytes and files per table, then files per table per day. */
  static void printTables(Path lake, PrintWriter out) {
    out.printf("%nbench lake: tables (the raw archive chip_telemetry left out)%n");
    out.printf("  %-20s %15s %15s %7s%n", "table", "rows", "bytes", "files");
    Map<String, Map<String, LakeFiles.Day>> byTable = new java.util.LinkedHashMap<>();
    TreeSet<String> dates = new TreeSet<>();
    long rows = 0;
    long bytes = 0;
    int files = 0;
    for (String table : Tables.ALL) {
      if (table.equals(Tables.CHIP_TELEMETRY) && !Files.isDirectory(lake.resolve(table))) continue;
      Map<String, LakeFiles.Day> days = LakeFiles.days(lake.resolve(table));
      byTable.put(table, days);
      dates.addAll(days.keySet());
      LakeFiles.Day sum = days.values().stream().reduce(new LakeFiles.Day(0, 0, 0), LakeFiles.Day::plus);
      out.printf("  %-20s %,15d %,15d %,7d%n", table, sum.rows(), sum.bytes(), sum.files());
      rows += sum.rows();
      bytes += sum.bytes();
      files += sum.files();
    }
    out.printf("  %-20s %,15d %,15d %,7d%n", "all", rows, bytes, files);
    out.printf("%nbench lake: files per table per day%n");
    StringBuilder header = new StringBuilder(String.format("  %-20s", "table"));
    for (String d : dates) header.append(String.format(" %10s", d));
    out.println(header);
    byTable.forEach((table, days) -> {
      StringBuilder line = new StringBuilder(String.format("  %-20s", table));
      for (String d : dates) {
        LakeFiles.Day day = days.get(d);
        line.append(String.format(" %10s", day == null ? "-" : Integer.toString(day.files())));
      }
      out.println(line);
    });
    out.flush();
  }
}
