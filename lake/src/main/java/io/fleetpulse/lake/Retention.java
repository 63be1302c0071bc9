package io.fleetpulse.lake;

import io.fleetpulse.model.Durations;
import io.fleetpulse.schema.Tables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each table keeps its partitions, in event time behind the lake's progress (a demo at speedup 120 ages
 * its lake 120 times faster than the wall clock), and what must cover a partition before it goes: the coarser
 * rows computed from it. A minute table's hour goes once its {@code _hour} table holds that hour and its
 * {@code _day} table (where the level has one) that date; an hour table's once its day table holds the date; the
 * raw archive's once {@code ultraserver_hour} holds the hour. Nothing else is ever deleted.
 */
public record Retention(Map<String, Duration> ages) {

  /** Keep everything. */
  public static final Retention OFF = new Retention(Map.of());

  /** {@code --retention} values: a table name, or {@code minute} for every minute table, each with an age. */
  public static Retention parse(Map<String, String> given) {
    Map<String, Duration> ages = new LinkedHashMap<>();
    given.forEach((key, value) -> {
      Duration age;
      try {
        age = Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--retention " + key + "=" + value + ": " + e.getMessage());
      }
      if (age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("--retention " + key + "=" + value + ": the age must be positive");
      }
      List<String> tables = key.equals("minute") ? minuteTables() : List.of(key);
      for (String t : tables) {
        if (coveredBy(t).isEmpty()) {
          throw new IllegalArgumentException("--retention " + key + ": " + t + " cannot be retired (only minute "
              + "tables *_window, hour tables that have a day table, and chip_telemetry, each once coarser rows cover "
              + "it); use a table name or 'minute'");
        }
        ages.put(t, age);
      }
    });
    return new Retention(Map.copyOf(ages));
  }

  static List<String> minuteTables() {
    return Tables.HOURLY.stream().map(Tables::minuteTableOf).toList();
  }

  /** The tables whose rows must be there before a partition of {@code table} may go; empty: it never goes. */
  static List<String> coveredBy(String table) {
    if (table.equals(Tables.CHIP_TELEMETRY)) return List.of(Tables.ULTRASERVER_HOUR);
    List<String> out = new ArrayList<>();
    for (String hour : Tables.HOURLY) {
      String minute = Tables.minuteTableOf(hour);
      String day = Tables.DAILY.stream().filter(d -> Tables.minuteTableOf(d).equals(minute)).findFirst().orElse(null);
      if (table.equals(minute)) {
        out.add(hour);
        if (day != null) out.add(day);
      } else if (table.equals(hour) && day != null) {
        out.add(day);
      }
    }
    return out;
  }

  /** Whether each table of {@link #coveredBy} holds a readable file for the partition's hour (or date). */
  static boolean covered(Path root, Partition p) {
    for (String c : coveredBy(p.table())) {
      boolean found = false;
      for (Partition q : LakeFiles.partitions(root, c)) {
        if (!q.date().equals(p.date())) continue;
        if (q.hour() != null && !q.hour().equals(p.hour())) continue;
        if (!PartitionListing.of(q).visible().isEmpty()) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }

  public boolean off() {
    return ages.isEmpty();
  }

  @Override
  public String toString() {
    if (ages.isEmpty()) return "off (keep everything)";
    List<String> parts = new ArrayList<>();
    ages.forEach((t, a) -> parts.add(t + "=" + Durations.format(a)));
    return String.join(", ", parts);
  }
}
