package io.fleetpulse.lake;

import io.fleetpulse.model.Durations;
import io.fleetpulse.schema.Tables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /**
   * Which hours and dates the coarser tables hold readable files for, listed once per pass and table: a lake of
   * thousands of partitions would otherwise be listed again for each candidate partition.
   */
  static final class Coverage {
    private final Path root;
    private final Map<String, Set<String>> held = new HashMap<>();

    Coverage(Path root) {
      this.root = root;
    }

    /** Whether each table of {@link #coveredBy} holds a readable file for the partition's hour (or date). */
    boolean covers(Partition p) {
      for (String c : coveredBy(p.table())) {
        Set<String> keys = held.computeIfAbsent(c, this::keysOf);
        if (!keys.contains(p.date() + "/" + p.hour()) && !keys.contains(p.date().toString())) return false;
      }
      return true;
    }

    /** "date/hour" for hour partitions and "date" for day partitions that hold a file a reader reads. */
    private Set<String> keysOf(String table) {
      Set<String> keys = new HashSet<>();
      for (PartitionListing l : LakeFiles.listings(root, table)) {
        if (l.visible().isEmpty()) continue;
        Partition q = l.partition();
        keys.add(q.hour() == null ? q.date().toString() : q.date() + "/" + q.hour());
      }
      return keys;
    }
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
