package io.fleetpulse.query;

import io.fleetpulse.lake.LakeFiles;
import io.fleetpulse.schema.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The data folder the job writes (its output root): one folder per table of {@link Tables#ALL}, Parquet part
 * files under Hive partitions {@code date=YYYY-MM-DD/hour=HH}. A table is present once it holds a committed
 * Parquet file a reader reads ({@link LakeFiles}); the job's in-progress files are hidden
 * ({@code .part-...inprogress}) and never count.
 */
public final class Lake {

  private final Path root;

  private Lake(Path root) {
    this.root = root;
  }

  /** The lake at {@code root}; fails with a message naming the fix when the folder does not exist. */
  public static Lake at(Path root) {
    if (!Files.isDirectory(root)) {
      throw new QueryException(QueryException.Kind.NO_DATA, "data folder " + root + " does not exist"
          + (Files.exists(root) ? " as a folder" : "") + ": pass --data DIR, the output root of the demo or the "
          + "job (it holds ultraserver_window/ ...); './fleetpulse demo' makes ./data");
    }
    try {
      // The real path: DuckDB's allow-list compares path prefixes, so symlinks and '..' must be resolved first.
      return new Lake(root.toRealPath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve data folder " + root, e);
    }
  }

  public Path root() {
    return root;
  }

  public Path tableDir(String table) {
    return root.resolve(table);
  }

  /** Tables holding at least one committed Parquet file, in {@link Tables#ALL} order. */
  public List<String> presentTables() {
    return Tables.ALL.stream().filter(this::hasFiles).toList();
  }

  /** Whether the table has a file a reader reads (by the lake's listing: a retired partition does not count). */
  public boolean hasFiles(String table) {
    try {
      return !LakeFiles.visible(root, table).isEmpty();
    } catch (UncheckedIOException e) {
      return false; // a folder the job is renaming under us: it counts on the next look
    }
  }

  /** The message for a lake with no table yet. */
  String noTablesMessage() {
    return "no tables under " + root + " yet (looked for " + String.join("/, ", Tables.ALL) + "/ with Parquet "
        + "files): run './fleetpulse demo' or the job, or pass --data DIR, the job's output root";
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
