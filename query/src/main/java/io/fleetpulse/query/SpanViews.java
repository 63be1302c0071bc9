package io.fleetpulse.query;

import io.fleetpulse.lake.LakeFiles;
import io.fleetpulse.lake.PartitionListing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Views {@code LEVEL_span}: every hour of a level once, at the coarsest grain that holds it whole: the hour's row
 * from {@code LEVEL_hour} when the job has written it (the watermark passed the hour), else the hour's minute rows
 * from {@code LEVEL_window} (the hour still open, or a run stopped inside it). Rows of both grains carry sums, so a
 * query that adds sums per hour or coarser reads the same answer from far fewer rows; and minute partitions retired
 * by retention leave their hour rows, so a span still covers the whole lake.
 *
 * <p>Which minute files to read is decided from the listing, per partition: none where the hour partition has
 * settled (its folder untouched for {@link #SETTLE_MS}), all where there is no hour partition. An hour partition
 * that changed just now may be partly committed (each subtask commits its own files), so there the minute rows are
 * kept per group, for the groups whose hour row is not there yet.
 */
final class SpanViews {

  static final String SUFFIX = "_span";
  /** Commits of one checkpoint land within milliseconds of each other; a minute is far past that. */
  static final long SETTLE_MS = 60_000;

  /** Each level and the columns naming its group in an hour (an UltraServer's attributions fire together). */
  static final Map<String, List<String>> LEVELS = new LinkedHashMap<>();

  static {
    LEVELS.put("ultraserver", List.of("ultraserver_id"));
    LEVELS.put("site", List.of("site"));
    LEVELS.put("generation", List.of("generation"));
    LEVELS.put("fleet", List.of());
    LEVELS.put("workload", List.of("workload", "tenant"));
    LEVELS.put("tenant", List.of("tenant"));
  }

  private SpanViews() {}

  /** The span views of the levels that have hour rows, as {@code CREATE OR REPLACE VIEW} statements. */
  static List<String> statements(Map<String, List<PartitionListing>> byTable, long nowMs) {
    List<String> out = new ArrayList<>();
    for (String level : LEVELS.keySet()) {
      List<PartitionListing> hours = visible(byTable.get(level + "_hour"));
      // Without hour rows a span would be the minute table again: the reports read that table as written.
      if (hours.isEmpty()) continue;
      Map<String, Boolean> settled = new HashMap<>();
      List<Path> hourFiles = new ArrayList<>();
      for (PartitionListing l : hours) {
        settled.put(l.partition().relative(), nowMs - modified(l.partition().dir()) >= SETTLE_MS);
        hourFiles.addAll(l.visiblePaths());
      }
      List<Path> whole = new ArrayList<>();
      List<Path> perGroup = new ArrayList<>();
      for (PartitionListing l : visible(byTable.get(level + "_window"))) {
        Boolean s = settled.get(l.partition().relative());
        if (s == null) whole.addAll(l.visiblePaths()); else if (!s) perGroup.addAll(l.visiblePaths());
      }
      out.add("CREATE OR REPLACE VIEW " + level + SUFFIX + " AS " + body(level, hourFiles, whole, perGroup));
    }
    return out;
  }

  static String body(String level, List<Path> hourFiles, List<Path> wholeMinutes, List<Path> checkedMinutes) {
    String hours = LakeFiles.readParquet(hourFiles);
    StringBuilder sql = new StringBuilder("SELECT * FROM ").append(hours);
    if (!wholeMinutes.isEmpty()) {
      sql.append(" UNION ALL BY NAME SELECT * FROM ").append(LakeFiles.readParquet(wholeMinutes));
    }
    if (!checkedMinutes.isEmpty()) {
      List<String> keys = LEVELS.get(level);
      StringBuilder on = new StringBuilder("w.date = h.date AND w.hour = h.hour");
      for (String key : keys) on.append(" AND w.").append(key).append(" IS NOT DISTINCT FROM h.").append(key);
      sql.append(" UNION ALL BY NAME SELECT w.* FROM ").append(LakeFiles.readParquet(checkedMinutes))
          .append(" w ANTI JOIN (SELECT DISTINCT ")
          .append(String.join(", ", Stream.concat(keys.stream(), Stream.of("date", "hour")).toList()))
          .append(" FROM ").append(level).append("_hour) h ON ").append(on);
    }
    return sql.toString();
  }

  private static List<PartitionListing> visible(List<PartitionListing> listings) {
    return listings == null ? List.of() : listings.stream().filter(l -> !l.visible().isEmpty()).toList();
  }

  /** The folder's last change; a folder that cannot be read counts as just changed (the careful answer). */
  private static long modified(Path dir) {
    try {
      return Files.getLastModifiedTime(dir).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }
}
