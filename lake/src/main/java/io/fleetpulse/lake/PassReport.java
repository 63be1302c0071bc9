package io.fleetpulse.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What one maintenance pass did, line by line as it went, and in figures at the end. */
public final class PassReport {

  private final Consumer<String> log;
  private final List<String> problems = new ArrayList<>();
  int compacted;
  int filesBefore;
  int filesAfter;
  long bytesBefore;
  long bytesAfter;
  long rowsCompacted;
  int recovered;
  int retired;
  int deletedPartitions;
  int deletedFiles;
  boolean skipped;
  private final long startedNanos = System.nanoTime();
  long elapsedMs;

  PassReport(Consumer<String> log) {
    this.log = log;
  }

  void line(String text) {
    log.accept(text);
  }

  void problem(String text) {
    problems.add(text);
    log.accept("problem: " + text);
  }

  void done() {
    elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Partitions that could not be maintained (left as they were), each with why. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public int partitionsCompacted() {
    return compacted;
  }

  public int filesBefore() {
    return filesBefore;
  }

  public int filesAfter() {
    return filesAfter;
  }

  public int retired() {
    return retired;
  }

  public int recovered() {
    return recovered;
  }

  /** Replaced files deleted after their grace period. */
  public int deletedFiles() {
    return deletedFiles;
  }

  public boolean skipped() {
    return skipped;
  }

  public long elapsedMs() {
    return elapsedMs;
  }

  /** One line: what the pass did. */
  public String summary() {
    if (skipped) return "lake: skipped: another maintenance pass holds the lock";
    return String.format("lake: %d partition%s compacted (%,d files to %,d, %,d rows, %s to %s); %d interrupted step%s "
        + "finished or rolled back; %d partition%s retired, %d deleted; %,d replaced file%s deleted; %d problem%s; "
        + "%,d ms", compacted, compacted == 1 ? "" : "s", filesBefore, filesAfter, rowsCompacted, bytes(bytesBefore),
        bytes(bytesAfter), recovered, recovered == 1 ? "" : "s", retired, retired == 1 ? "" : "s", deletedPartitions,
        deletedFiles, deletedFiles == 1 ? "" : "s", problems.size(), problems.size() == 1 ? "" : "s", elapsedMs);
  }

  static String bytes(long n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return String.format("%.1f KiB", n / 1024.0);
    if (n < 1024L * 1024 * 1024) return String.format("%.1f MiB", n / (1024.0 * 1024));
    return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
  }
}
