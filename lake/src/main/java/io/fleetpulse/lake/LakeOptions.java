package io.fleetpulse.lake;

import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The options of lake maintenance, declared once for {@code fleetpulse lake} and the demo. */
public final class LakeOptions {

  private LakeOptions() {}

  public static final Opt<Duration> SEAL_AFTER = Opt.duration("seal-after").defaultValue(Duration.ofHours(1))
      .describe("Event time past an hour partition's end (measured by the newest hour of fleet_window, which follows "
          + "the watermark) after which the job writes no more to it, so that it may be compacted or retired: above the job's "
          + "--allowed-lateness and out-of-orderness, with a margin.");

  public static final Opt<Duration> GRACE = Opt.duration("lake-grace").defaultValue(Duration.ofMinutes(2))
      .describe("Wall-clock time files replaced by a compaction, or partitions retired, stay on disk unread by the "
          + "query views before they are deleted, so that a query that listed the files just before can still read "
          + "them: above the longest query (the endpoint's --timeout). 0s when nothing reads the lake meanwhile.");

  public static final Opt<Map<String, String>> RETENTION = Opt.keyValues("retention").label("TABLE=AGE")
      .defaultText("keep everything")
      .describe("Delete the partitions of TABLE older than AGE (event time behind the newest hour of fleet_window), once "
          + "coarser rows cover them: a minute table (*_window) once its _hour table holds the hour and its _day "
          + "table (site, generation, fleet, workload, tenant) the date; an hour table with a day table once that "
          + "holds the date; chip_telemetry once ultraserver_hour holds the hour. TABLE 'minute' means every "
          + "*_window table. Repeatable, e.g. --retention minute=7d --retention chip_telemetry=1d.");

  public static final Opt<String> MEMORY = Opt.string("lake-memory", "SIZE").defaultValue("1GB")
      .describe("DuckDB memory limit of a compaction (it sorts out of core beyond it, in DIR/_lake/spill/).");

  public static final Opt<Long> FILE_SIZE = Opt.longInt("compact-file-size").label("BYTES")
      .defaultValue(256L << 20).defaultText("268435456 (256 MiB)")
      .describe("A compacted partition is written as files of about this size (most partitions: one file).");

  public static final Opt<Boolean> JOB_STOPPED = Opt.bool("job-stopped")
      .describe("The job writes no more to this lake: every partition counts as sealed (compacts the newest "
          + "hours too).");

  public static final Opt<Boolean> EACH_PARTITION = Opt.bool("each-partition")
      .describe("List every partition with its files read and on disk.");

  public static final Opt<Duration> INTERVAL = Opt.duration("lake-interval").defaultValue(Duration.ofMinutes(1))
      .describe("Wall-clock time between the demo's lake maintenance passes (compaction, retention) while the job "
          + "runs; one more compacts every hour once the job stops. 0s: the demo leaves its lake as the job wrote it "
          + "(./fleetpulse lake maintain does it later).");

  /** What a pass needs, from the flags a command took (absent ones at their defaults). */
  public static LakeMaintenance.Settings settings(Flags flags) {
    LakeMaintenance.Settings d = LakeMaintenance.Settings.defaults();
    Retention retention = flags.options().contains(RETENTION) ? Retention.parse(flags.get(RETENTION)) : Retention.OFF;
    return new LakeMaintenance.Settings(
        flags.options().contains(SEAL_AFTER) ? flags.get(SEAL_AFTER) : d.sealAfter(),
        flags.options().contains(GRACE) ? flags.get(GRACE) : d.grace(), retention,
        flags.options().contains(MEMORY) ? flags.get(MEMORY) : d.memoryLimit(),
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        flags.options().contains(FILE_SIZE) ? flags.get(FILE_SIZE) : d.fileSizeBytes(),
        flags.options().contains(JOB_STOPPED) && flags.get(JOB_STOPPED));
  }

  static final List<Opt<?>> COMPACT = List.of(SharedOptions.DATA, SEAL_AFTER, GRACE, JOB_STOPPED, FILE_SIZE, MEMORY);
  static final List<Opt<?>> RETAIN = List.of(SharedOptions.DATA, RETENTION, SEAL_AFTER, GRACE);
  static final List<Opt<?>> MAINTAIN = List.of(SharedOptions.DATA, RETENTION, SEAL_AFTER, GRACE, JOB_STOPPED,
      FILE_SIZE, MEMORY);
  static final List<Opt<?>> STATUS = List.of(SharedOptions.DATA, EACH_PARTITION);

  /** The demo's: how often it maintains its lake, and how. */
  public static final List<Opt<?>> DEMO = List.of(INTERVAL, RETENTION, SEAL_AFTER, GRACE);
}
