package io.fleetpulse.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reader's side of the lake: the partitions of a table and the files to read in each, by the rule of
 * {@link PartitionListing}. Whoever reads the lake while maintenance may run (the query views, the tests' lake
 * comparisons) reads these files, never a glob: a glob sees both sides of a compaction during its grace period.
 */
public final class LakeFiles {

  private LakeFiles() {}

  /** The partitions under {@code root/table}, in date and hour order; none when the table has no folder. */
  public static List<Partition> partitions(Path root, String table) {
    Path tableDir = root.resolve(table);
    List<Partition> out = new ArrayList<>();
    for (Path dateDir : sortedChildren(tableDir)) {
      var date = Partition.dateOf(dateDir.getFileName().toString());
      if (date == null || !Files.isDirectory(dateDir)) continue;
      boolean hours = false;
      for (Path hourDir : sortedChildren(dateDir)) {
        Integer hour = Partition.hourOf(hourDir.getFileName().toString());
        if (hour == null || !Files.isDirectory(hourDir)) continue;
        hours = true;
        out.add(new Partition(table, hourDir, date, hour));
      }
      // A day table's files sit in the date folder itself.
      if (!hours) out.add(new Partition(table, dateDir, date, null));
    }
    return out;
  }

  /** One listing of each partition of the table. */
  public static List<PartitionListing> listings(Path root, String table) {
    return partitions(root, table).stream().map(PartitionListing::of).toList();
  }

  /** The files a reader reads, over every partition of the table. */
  public static List<Path> visible(Path root, String table) {
    List<Path> out = new ArrayList<>();
    for (PartitionListing l : listings(root, table)) out.addAll(l.visiblePaths());
    return out;
  }

  /**
   * {@code read_parquet([...files...], hive_partitioning = true, hive_types = ...)} over these files: DuckDB's
   * table function reading exactly them, with typed partition columns ({@code date} DATE, {@code hour} INTEGER,
   * as the folders of the files have them). Null when there is no file.
   */
  public static String readParquet(List<Path> files) {
    if (files.isEmpty()) return null;
    boolean hours = files.stream().allMatch(f -> Partition.hourOf(f.getParent().getFileName().toString()) != null);
    String types = hours ? "{'date': DATE, 'hour': INTEGER}" : "{'date': DATE}";
    return "read_parquet(" + fileList(files) + ", hive_partitioning = true, hive_types = " + types + ")";
  }

  /** The files as a DuckDB list literal: {@code ['a.parquet', 'b.parquet']}. */
  public static String fileList(List<Path> files) {
    StringBuilder list = new StringBuilder("[");
    for (Path f : files) {
      if (list.length() > 1) list.append(", ");
      list.append(quote(f.toString()));
    }
    return list.append(']').toString();
  }

  static String quote(String literal) {
    return "'" + literal.replace("'", "''") + "'";
  }

  static List<Path> sortedChildren(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
