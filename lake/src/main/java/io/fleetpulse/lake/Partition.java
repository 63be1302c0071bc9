package io.fleetpulse.lake;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * One Hive partition of a table: {@code date=YYYY-MM-DD/hour=HH} (minute, hour and raw tables, alerts) or
 * {@code date=YYYY-MM-DD} alone (the day tables). Its period is the hour, or the UTC day.
 *
 * @param hour null for a day partition
 */
public record Partition(String table, Path dir, LocalDate date, Integer hour) {

  static final long HOUR_MS = 3_600_000L;
  static final long DAY_MS = 24 * HOUR_MS;

  /** Start of the partition's period, epoch millis (UTC). */
  public long startMs() {
    long day = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    return hour == null ? day : day + hour * HOUR_MS;
  }

  public long endMs() {
    return startMs() + (hour == null ? DAY_MS : HOUR_MS);
  }

  /** {@code date=2026-01-01/hour=09} or {@code date=2026-01-01}: the path below the table folder. */
  public String relative() {
    String d = "date=" + date;
    return hour == null ? d : d + "/hour=" + (hour < 10 ? "0" : "") + hour;
  }

  @Override
  public String toString() {
    return table + "/" + relative();
  }

  /** The date of a {@code date=YYYY-MM-DD} folder name, or null if the name is not one. */
  static LocalDate dateOf(String name) {
    if (!name.startsWith("date=")) return null;
    try {
      return LocalDate.parse(name.substring(5));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The hour of an {@code hour=HH} folder name, or null if the name is not one. */
  static Integer hourOf(String name) {
    if (!name.startsWith("hour=")) return null;
    try {
      int h = Integer.parseInt(name.substring(5));
      return h >= 0 && h < 24 ? h : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
