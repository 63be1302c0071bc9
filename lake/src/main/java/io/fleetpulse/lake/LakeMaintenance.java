package io.fleetpulse.lake;

import io.fleetpulse.platform.LocalMachine;
import io.fleetpulse.schema.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * One maintenance pass over a lake, under a lock (one pass at a time, whoever runs it): first it finishes or rolls
 * back whatever an interrupted pass left, then compacts sealed partitions, retires old covered ones, and deletes
 * what waited out its grace period. Every step is a rename or a write-then-rename, ordered so that a crash between
 * any two leaves the lake readable with each row once (by {@link PartitionListing}'s rule) and the next pass
 * completes it. A partition that fails (a corrupt file) is left as it was and reported; the others go on.
 */
public final class LakeMaintenance {

  /**
   * How a pass runs.
   *
   * @param sealAfter event time past a partition's end, measured by the newest partition in the lake, after which
   *     the job no longer writes to it (allowed lateness and a margin): only sealed partitions are compacted
   * @param grace wall-clock time replaced and retired files stay in place, unread by listing readers, so a query
   *     that listed before the swap can still read them; zero when no reader runs (the demo's last pass)
   * @param jobStopped the job writes no more: every partition is sealed
   */
  public record Settings(Duration sealAfter, Duration grace, Retention retention, String memoryLimit, int threads,
      long fileSizeBytes, boolean jobStopped) {

    public static Settings defaults() {
      return new Settings(Duration.ofHours(1), Duration.ofMinutes(2), Retention.OFF, "1GB", 1, 256L << 20, false);
    }

    public Settings withJobStopped(boolean stopped) {
      return new Settings(sealAfter, grace, retention, memoryLimit, threads, fileSizeBytes, stopped);
    }

    public Settings withGrace(Duration g) {
      return new Settings(sealAfter, g, retention, memoryLimit, threads, fileSizeBytes, jobStopped);
    }

    public Settings withRetention(Retention r) {
      return new Settings(sealAfter, grace, r, memoryLimit, threads, fileSizeBytes, jobStopped);
    }
  }

  /** The points between the steps of a compaction, where a test makes the pass crash. */
  enum Step { STAGED, MARKED, RENAMED, FIRST_REPLACED_TRASHED }

  interface Hook {
    void reached(Step step, Partition p) throws IOException;
  }

  private final Path root;
  private final LakeDirs dirs;
  private final Settings settings;
  private final LongSupplier clock;
  private final Hook hook;

  private LakeMaintenance(Path root, Settings settings, LongSupplier clock, Hook hook) {
    this.root = root;
    this.dirs = new LakeDirs(root);
    this.settings = settings;
    this.clock = clock;
    this.hook = hook;
  }

  public static LakeMaintenance of(Path root, Settings settings) {
    return new LakeMaintenance(root, settings, System::currentTimeMillis, (s, p) -> {});
  }

  static LakeMaintenance of(Path root, Settings settings, LongSupplier clock, Hook hook) {
    return new LakeMaintenance(root, settings, clock, hook);
  }

  /** One pass: recovery always; compaction and retention as asked. Skipped when another pass holds the lock. */
  public PassReport run(boolean compact, boolean retain, Consumer<String> log) {
    PassReport report = new PassReport(log);
    try {
      Files.createDirectories(dirs.base());
      try (FileChannel channel = FileChannel.open(dirs.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = tryLock(channel)) {
        if (lock == null) {
          report.skipped = true;
        } else {
          pass(compact, retain, report);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lake maintenance of " + root + ": " + e.getMessage(), e);
    }
    report.done();
    return report;
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // this JVM runs a pass already
    }
  }

  private void pass(boolean compact, boolean retain, PassReport report) throws IOException {
    long progress = progressMs();
    try (Compactor compactor = compact ? new Compactor(dirs, settings.memoryLimit(), settings.threads(),
        settings.fileSizeBytes()) : null) {
      for (String table : Tables.ALL) {
        for (Partition p : LakeFiles.partitions(root, table)) {
          try {
            recover(p, report);
            // Once more after a compaction: the record of one its output replaced goes with that output.
            if (compact && sealed(p, progress) && compact(p, compactor, report)) recover(p, report);
          } catch (IOException | RuntimeException e) {
            report.problem(p + ": left as it was: " + e.getMessage());
          }
        }
      }
    }
    if (retain && !settings.retention().off()) retire(progress, report);
    purgeRetired(report);
    cleanStaging();
    LocalMachine.deleteRecursively(dirs.trash());
  }

  /**
   * The lake's event-time progress: the start of the newest hour partition of {@code fleet_window} holding a file.
   * The fleet's window closes only once the watermark, the least progress of every Kafka partition, has passed it,
   * so every table's rows older than this minus the job's lateness are in (the raw archive, written as samples
   * arrive, can run hours ahead of it in a backfill). A lake without fleet windows goes by its newest partition.
   */
  long progressMs() {
    long fleet = newestHourStart(Tables.FLEET_WINDOW);
    if (fleet != Long.MIN_VALUE) return fleet;
    long newest = Long.MIN_VALUE;
    for (String table : Tables.ALL) newest = Math.max(newest, newestHourStart(table));
    return newest;
  }

  private long newestHourStart(String table) {
    List<Partition> parts = LakeFiles.partitions(root, table);
    for (int i = parts.size() - 1; i >= 0; i--) {
      Partition p = parts.get(i);
      if (p.hour() != null && !PartitionListing.of(p).parquetFiles().isEmpty()) return p.startMs();
    }
    return Long.MIN_VALUE;
  }

  boolean sealed(Partition p, long progress) {
    return settings.jobStopped() || (progress != Long.MIN_VALUE
        && p.endMs() + settings.sealAfter().toMillis() <= progress);
  }

  // ---- recovery: finish or undo what a crashed pass left, delete what waited out its grace period ----

  private void recover(Partition p, PassReport report) throws IOException {
    PartitionListing listing = PartitionListing.of(p);
    for (CompactionMarker m : listing.markers()) {
      if (listing.applied(m)) {
        purgeReplaced(p, m, listing, report);
        LocalMachine.deleteRecursively(dirs.staging(p, m.id()));
        continue;
      }
      Path staging = dirs.staging(p, m.id());
      List<String> missing = m.outputs().stream().filter(o -> !listing.parquetFiles().contains(o)).toList();
      if (missing.stream().allMatch(o -> Files.isRegularFile(staging.resolve(o)))) {
        // Crashed after the marker, before every output was renamed in: finish, counting the grace from now.
        CompactionMarker now = m.visibleAt(clock.getAsLong());
        Durable.writeAtomically(p.dir().resolve(CompactionMarker.fileName(m.id())), now.text());
        for (String o : missing) Durable.move(staging.resolve(o), p.dir().resolve(o));
        Durable.forceDir(p.dir());
        report.recovered++;
        report.line(p + ": finished an interrupted compaction (" + m.id() + ")");
        PartitionListing after = PartitionListing.of(p);
        purgeReplaced(p, now, after, report);
      } else {
        // Dead: never applied with its staging gone, or applied once and its outputs since replaced and deleted.
        Set<String> claimed = new HashSet<>();
        for (CompactionMarker other : listing.markers()) if (other != m) claimed.addAll(other.replaced());
        for (String o : m.outputs()) {
          if (listing.parquetFiles().contains(o) && !claimed.contains(o)) trash(p.dir().resolve(o));
        }
        Files.deleteIfExists(p.dir().resolve(CompactionMarker.fileName(m.id())));
        Durable.forceDir(p.dir());
        LocalMachine.deleteRecursively(staging);
        if (missing.size() < m.outputs().size()) {
          // Some output came in but not all, and the rest is lost: readers never read any of it.
          report.recovered++;
          report.line(p + ": rolled back an interrupted compaction (" + m.id() + ")");
        }
      }
    }
  }

  /** Moves the replaced files of an applied compaction out of the partition once the grace period is over. */
  private void purgeReplaced(Partition p, CompactionMarker m, PartitionListing listing, PassReport report)
      throws IOException {
    List<String> present = m.replaced().stream().filter(listing.parquetFiles()::contains).toList();
    if (present.isEmpty() || clock.getAsLong() < m.visibleAtMs() + settings.grace().toMillis()) return;
    boolean first = true;
    for (String r : present) {
      trash(p.dir().resolve(r));
      report.deletedFiles++;
      if (first) hook.reached(Step.FIRST_REPLACED_TRASHED, p);
      first = false;
    }
    Durable.forceDir(p.dir());
  }

  private void trash(Path file) throws IOException {
    Path to = dirs.trash().resolve(Long.toHexString(ThreadLocalRandom.current().nextLong()))
        .resolve(file.getFileName().toString());
    Durable.move(file, to);
  }

  // ---- compaction ----

  /** Compacts the partition if it has more than one file to read and nothing pending; true if it did. */
  private boolean compact(Partition p, Compactor compactor, PassReport report) throws IOException {
    PartitionListing listing = PartitionListing.of(p);
    if (listing.retired() || listing.busy()) return false;
    List<Path> inputs = listing.visiblePaths();
    if (inputs.size() < 2) return false;
    long before = size(inputs);
    String id = newId();
    Path staging = dirs.staging(p, id);
    Compactor.Written written;
    try {
      written = compactor.rewrite(p.table(), inputs, staging, id);
    } catch (SQLException | IOException e) {
      LocalMachine.deleteRecursively(staging);
      throw new IOException("cannot compact its " + inputs.size() + " files (" + firstLine(e) + ")", e);
    }
    hook.reached(Step.STAGED, p);
    List<String> outputs = written.outputs().stream().map(o -> o.getFileName().toString()).toList();
    CompactionMarker marker = new CompactionMarker(id, outputs,
        inputs.stream().map(i -> i.getFileName().toString()).toList(), clock.getAsLong());
    Durable.writeAtomically(p.dir().resolve(CompactionMarker.fileName(id)), marker.text());
    hook.reached(Step.MARKED, p);
    for (Path o : written.outputs()) Durable.move(o, p.dir().resolve(o.getFileName().toString()));
    Durable.forceDir(p.dir());
    hook.reached(Step.RENAMED, p);
    long after = size(outputs.stream().map(p.dir()::resolve).toList());
    report.compacted++;
    report.filesBefore += inputs.size();
    report.filesAfter += outputs.size();
    report.bytesBefore += before;
    report.bytesAfter += after;
    report.rowsCompacted += written.rows();
    report.line(String.format("%s: %d files to %d, %,d rows, %s to %s", p, inputs.size(), outputs.size(),
        written.rows(), PassReport.bytes(before), PassReport.bytes(after)));
    purgeReplaced(p, marker, PartitionListing.of(p), report);
    LocalMachine.deleteRecursively(staging);
    return true;
  }

  private static String newId() {
    return Long.toString(System.currentTimeMillis(), 36) + "-"
        + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
  }

  private static long size(List<Path> files) {
    long n = 0;
    for (Path f : files) {
      try {
        n += Files.size(f);
      } catch (IOException e) {
        // gone meanwhile: not counted
      }
    }
    return n;
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  // ---- retention ----

  private void retire(long progress, PassReport report) throws IOException {
    if (progress == Long.MIN_VALUE) return;
    Retention.Coverage coverage = new Retention.Coverage(root);
    for (var e : settings.retention().ages().entrySet()) {
      long age = Math.max(e.getValue().toMillis(), settings.sealAfter().toMillis());
      for (Partition p : LakeFiles.partitions(root, e.getKey())) {
        if (p.endMs() + age > progress) break; // partitions come oldest first
        PartitionListing listing = PartitionListing.of(p);
        if (listing.retired()) continue;
        if (!coverage.covers(p)) continue;
        Properties props = new Properties();
        props.setProperty("retired_at_ms", Long.toString(clock.getAsLong()));
        java.io.StringWriter w = new java.io.StringWriter();
        props.store(w, "Retired by retention (fleetpulse lake): readers skip this partition; it is deleted after "
            + "the grace period");
        Durable.writeAtomically(p.dir().resolve(PartitionListing.RETIRED), w.toString());
        report.retired++;
        report.line(p + ": retired (older than " + io.fleetpulse.model.Durations.format(e.getValue())
            + ", covered by " + String.join(", ", Retention.coveredBy(p.table())) + ")");
      }
    }
  }

  /** Deletes retired partitions whose grace period is over: one rename of the folder out of the table. */
  private void purgeRetired(PassReport report) throws IOException {
    for (String table : Tables.ALL) {
      for (Partition p : LakeFiles.partitions(root, table)) {
        Path marker = p.dir().resolve(PartitionListing.RETIRED);
        if (!Files.exists(marker)) continue;
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(marker)) {
          props.load(in);
        }
        long at = Long.parseLong(props.getProperty("retired_at_ms", "0"));
        if (clock.getAsLong() < at + settings.grace().toMillis()) continue;
        Path to = dirs.trash().resolve(Long.toHexString(ThreadLocalRandom.current().nextLong())).resolve(table)
            .resolve(p.relative());
        Durable.move(p.dir(), to);
        Durable.forceDir(p.dir().getParent());
        deleteIfEmpty(p.dir().getParent(), root.resolve(table));
        report.deletedPartitions++;
        report.line(p + ": deleted (retired)");
      }
    }
  }

  private static void deleteIfEmpty(Path dir, Path stop) {
    try {
      if (!dir.equals(stop)) Files.delete(dir);
    } catch (IOException e) {
      // not empty, or written to meanwhile: stays
    }
  }

  /** Staging folders without their marker: a pass crashed after writing them, before the marker. */
  private void cleanStaging() throws IOException {
    if (!Files.isDirectory(dirs.staging())) return;
    List<Path> idDirs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dirs.staging(), 4)) {
      s.filter(Files::isDirectory).forEach(d -> {
        Path rel = dirs.staging().relativize(d);
        int n = rel.getNameCount();
        if (n == 3 && Partition.hourOf(rel.getName(2).toString()) == null) idDirs.add(d);
        if (n == 4) idDirs.add(d);
      });
    }
    for (Path d : idDirs) {
      Path rel = dirs.staging().relativize(d);
      Path partition = root.resolve(rel.getParent());
      if (!Files.exists(partition.resolve(CompactionMarker.fileName(d.getFileName().toString())))) {
        LocalMachine.deleteRecursively(d);
      }
    }
    // The table, date and hour folders left empty.
    try (Stream<Path> s = Files.walk(dirs.staging())) {
      for (Path d : s.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!d.equals(dirs.staging())) deleteIfEmpty(d, dirs.staging());
      }
    }
  }
}
