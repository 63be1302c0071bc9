package io.fleetpulse.query;

import java.sql.SQLException;

/** DuckDB's error messages, cut to what a person needs. */
final class SqlErrors {

  private SqlErrors() {}

  /** The first line of DuckDB's message (the rest is a caret diagram or a JSON dump), without the JDBC prefix. */
  static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  static boolean isInterrupt(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("INTERRUPT") || m.contains("Interrupted");
  }

  static boolean isOutOfMemory(SQLException e) {
    return String.valueOf(e.getMessage()).contains("Out of Memory");
  }

  /**
   * An allocation the process could not get (std::bad_alloc under the address-space cap of
   * {@link QueryServerChild}: "Failed to allocate block of N bytes (bad allocation)", "Allocation failure"), as
   * opposed to one the buffer manager refused under memory_limit, which says how much it holds ("(244.1 MiB/244.1
   * MiB used)").
   */
  static boolean isProcessOutOfMemory(SQLException e) {
    return isOutOfMemory(e) && !String.valueOf(e.getMessage()).contains(" used)");
  }
}
