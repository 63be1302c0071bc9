package io.fleetpulse.query;

import io.fleetpulse.schema.Tables;
import java.util.ArrayList;
import java.util.List;

/**
 * Views {@code LEVEL_span}: every hour of a level once, at the coarsest grain that holds it whole: the hour's row
 * from {@code LEVEL_hour} when the job has written it (the watermark passed the hour), else the hour's minute rows
 * from {@code LEVEL_window} (the hour still open, or a run stopped inside it), decided per group (an hour row
 * exists only once all of its group's minutes are in, but the files of one hour are committed by each subtask on
 * its own, so a partition can be partly there for a moment). Rows of both grains carry sums, so a
 * query that adds sums per hour or coarser reads the same answer from far fewer rows; and minute partitions deleted
 * by retention leave their hour rows, so a span still covers the whole lake.
 */
final class SpanViews {

  static final String SUFFIX = "_span";
  /** Each level and the columns naming its group in an hour (an UltraServer's attributions fire together). */
  static final java.util.Map<String, List<String>> LEVELS = new java.util.LinkedHashMap<>();

  static {
    LEVELS.put("ultraserver", List.of("ultraserver_id"));
    LEVELS.put("site", List.of("site"));
    LEVELS.put("generation", List.of("generation"));
    LEVELS.put("fleet", List.of());
    LEVELS.put("workload", List.of("workload", "tenant"));
    LEVELS.put("tenant", List.of("tenant"));
  }

  private SpanViews() {}

  /** The span views over the levels that have hour rows, as {@code CREATE OR REPLACE VIEW} statements. */
  static List<String> statements(List<String> present) {
    List<String> out = new ArrayList<>();
    for (String level : LEVELS.keySet()) {
      String minutes = level + "_window";
      String hours = level + "_hour";
      boolean m = present.contains(minutes);
      boolean h = present.contains(hours);
      // Without hour rows a span would be the minute table again: the reports read that table as written.
      if (!h) continue;
      String body;
      if (!m) {
        body = "SELECT * FROM " + hours;
      } else {
        StringBuilder on = new StringBuilder("w.date = h.date AND w.hour = h.hour");
        for (String key : LEVELS.get(level)) on.append(" AND w.").append(key).append(" IS NOT DISTINCT FROM h.").append(key);
        body = "SELECT * FROM " + hours + " UNION ALL BY NAME SELECT w.* FROM " + minutes + " w ANTI JOIN (SELECT DISTINCT "
            + String.join(", ", java.util.stream.Stream.concat(LEVELS.get(level).stream(),
                java.util.stream.Stream.of("date", "hour")).toList()) + " FROM " + hours + ") h ON " + on;
      }
      out.add("CREATE OR REPLACE VIEW " + level + SUFFIX + " AS " + body);
    }
    return out;
  }

  /** True for the tables a span view reads. */
  static boolean feeds(String table) {
    return table.endsWith("_window") && LEVELS.containsKey(table.substring(0, table.length() - "_window".length()))
        || Tables.HOURLY.contains(table);
  }
}
