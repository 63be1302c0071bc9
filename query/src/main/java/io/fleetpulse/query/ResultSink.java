package io.fleetpulse.query;

import java.io.IOException;
import java.util.List;

/**
 * Where a query's rows go, one at a time, so a large result streams to its reader instead of piling up. Values
 * are plain Java: null, Boolean, Number (Double may be NaN), String, Instant, LocalDate, LocalDateTime, byte[],
 * List and Map.
 */
public interface ResultSink {

  void columns(List<Column> columns) throws IOException;

  void row(Object[] values) throws IOException;

  /** After the last row. */
  void end() throws IOException;
}
