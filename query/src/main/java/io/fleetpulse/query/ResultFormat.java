package io.fleetpulse.query;

import java.io.Writer;
import java.util.Locale;

/** How a result is written: an aligned table for people, CSV or JSON for tools. */
public enum ResultFormat {
  /** Columns aligned, numbers right-aligned and shown to 6 significant digits. */
  TABLE("text/plain; charset=utf-8"),
  /** RFC 4180, a header line, full precision; NaN as NaN, null as an empty field. */
  CSV("text/csv; charset=utf-8"),
  /** An array of objects, one per row (pandas.read_json reads it as is); NaN and infinities as null. */
  JSON("application/json");

  private final String contentType;

  ResultFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  public ResultSink writer(Writer out) {
    return switch (this) {
      case TABLE -> new TableResultWriter(out);
      case CSV -> new CsvResultWriter(out);
      case JSON -> new JsonResultWriter(out);
    };
  }

  /** Parses a format name; the message lists the accepted ones. */
  public static ResultFormat parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("format must be table, csv or json, got '" + name + "'");
    }
  }
}
