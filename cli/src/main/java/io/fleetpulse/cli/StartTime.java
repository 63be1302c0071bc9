package io.fleetpulse.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses --start: an ISO-8601 instant (2026-11-25T00:00:00Z), a date (2026-11-25, midnight UTC), or epoch millis. */
public final class StartTime {

  private StartTime() {}

  public static Instant parse(String text) {
    String t = text.trim();
    try {
      if (t.matches("\\d{10,}")) return Instant.ofEpochMilli(Long.parseLong(t));
      if (t.matches("\\d{4}-\\d{2}-\\d{2}")) return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      return Instant.parse(t);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "--start takes a UTC instant (2026-11-25T06:00:00Z), a date (2026-11-25) or epoch millis, got '" + text + "'");
    }
  }
}
