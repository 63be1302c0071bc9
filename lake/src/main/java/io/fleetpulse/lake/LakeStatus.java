package io.fleetpulse.lake;

import io.fleetpulse.schema.Tables;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per table: its partitions, the Parquet files in them (read and waiting), the most in one partition, the bytes. */
public final class LakeStatus {

  /** One table's figures. {@code maxFiles} counts every Parquet file in a partition folder, read or not. */
  public record TableStatus(int partitions, int visibleFiles, int maxFiles, long bytes, int pending, int retired) {}

  private LakeStatus() {}

  public static Map<String, TableStatus> of(Path root) {
    Map<String, TableStatus> out = new LinkedHashMap<>();
    for (String table : Tables.ALL) {
      List<PartitionListing> listings = LakeFiles.listings(root, table);
      if (listings.isEmpty()) continue;
      int visible = 0;
      int max = 0;
      int pending = 0;
      int retired = 0;
      long bytes = 0;
      for (PartitionListing l : listings) {
        visible += l.visible().size();
        max = Math.max(max, l.parquetFiles().size());
        if (l.busy()) pending++;
        if (l.retired()) retired++;
        for (Path f : l.visiblePaths()) bytes += size(f);
      }
      out.put(table, new TableStatus(listings.size(), visible, max, bytes, pending, retired));
    }
    return out;
  }

  /** Files per partition of one table, for {@code --each-partition}. */
  public static void printPartitions(Path root, PrintWriter out) {
    for (String table : Tables.ALL) {
      for (PartitionListing l : LakeFiles.listings(root, table)) {
        out.printf("%-45s %3d read  %3d on disk%s%s%n", l.partition(), l.visible().size(), l.parquetFiles().size(),
            l.busy() ? "  (compaction in its grace period)" : "", l.retired() ? "  (retired)" : "");
      }
    }
  }

  public static void print(Path root, PrintWriter out) {
    Map<String, TableStatus> all = of(root);
    if (all.isEmpty()) {
      out.println("no tables under " + root);
      return;
    }
    out.printf("%-20s %10s %8s %14s %12s %8s %8s%n", "table", "partitions", "files", "max/partition", "bytes",
        "pending", "retired");
    all.forEach((t, s) -> out.printf("%-20s %10d %8d %14d %12s %8d %8d%n", t, s.partitions(), s.visibleFiles(),
        s.maxFiles(), PassReport.bytes(s.bytes()), s.pending(), s.retired()));
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }
}
