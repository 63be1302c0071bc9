package io.fleetpulse.query;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One query on its way through the engine, as its deadline sees it. At the deadline the statement is interrupted
 * (DuckDB's interrupt, through {@link Statement#cancel}), and again every {@link #REPEAT_MS} ms until it stops:
 * DuckDB's JDBC driver ignores a cancel that falls between preparing and executing, and a new phase of the query
 * clears a pending interrupt. Whoever waits for the answer gives up on the query soon after the deadline whether
 * or not it stopped ({@link #abandon}): its rows then go nowhere.
 */
final class QueryRun {

  /** How often the interrupt is repeated once the deadline has passed. */
  static final long REPEAT_MS = 100;

  private final String sql;
  private final long startNanos = System.nanoTime();
  private volatile Statement statement;
  private volatile boolean expired;
  private volatile boolean abandoned;
  private volatile boolean finished;

  QueryRun(String sql) {
    this.sql = sql;
  }

  String sql() {
    return sql;
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** The statement the engine is running for this query now; a deadline already passed interrupts it at once. */
  void running(Statement st) {
    statement = st;
    if (expired) interrupt();
  }

  /** The deadline passed: interrupt the engine (and keep doing so, see {@link #interrupt}). */
  void expire() {
    expired = true;
    interrupt();
  }

  boolean expired() {
    return expired;
  }

  void interrupt() {
    Statement st = statement;
    if (st == null || finished) return;
    try {
      st.cancel();
    } catch (SQLException | RuntimeException e) {
      // the statement finished or closed while we were cancelling it
    }
  }

  /** The waiter answered without the rows; whatever the engine still produces is dropped. */
  void abandon() {
    abandoned = true;
    expire();
  }

  void finish() {
    finished = true;
  }

  boolean finished() {
    return finished;
  }

  /** The sink, cut off once the query is abandoned, so a late engine cannot write into an answer already sent. */
  ResultSink gate(ResultSink sink) {
    return new ResultSink() {
      @Override
      public void columns(List<Column> columns) throws IOException {
        open();
        sink.columns(columns);
      }

      @Override
      public void row(Object[] values) throws IOException {
        open();
        sink.row(values);
      }

      @Override
      public void end() throws IOException {
        open();
        sink.end();
      }

      private void open() {
        if (abandoned) throw new QueryException(QueryException.Kind.TIMEOUT, "the query was abandoned at its "
            + "deadline");
      }
    };
  }
}
