package io.fleetpulse.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;

/**
 * SQL over the lake: the one entry point the CLI, the endpoint and the demo use. Each query gets its own
 * connection to the locked {@link LakeDatabase}, passes {@link SqlGuard}, and runs under {@link QueryLimits}:
 * a slot among {@code maxConcurrent}, interruption after {@code timeout}, at most {@code maxRows} rows.
 * Thread-safe.
 */
public final class LakeSql implements AutoCloseable {

  /** What a query cost: rows returned and wall time, ms. */
  public record Stats(long rows, long elapsedMs) {}

  private final LakeDatabase db;
  private final QueryLimits limits;
  private final Semaphore slots;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lake-sql-timeout");
    t.setDaemon(true);
    return t;
  });

  private LakeSql(LakeDatabase db, QueryLimits limits) {
    this.db = db;
    this.limits = limits;
    this.slots = new Semaphore(limits.maxConcurrent(), true);
  }

  /** Opens the lake under {@code data} (which must exist; it may still be empty) with these limits. */
  public static LakeSql open(Path data, QueryLimits limits) {
    return new LakeSql(LakeDatabase.open(Lake.at(data), limits), limits);
  }

  public Path root() {
    return db.lake().root();
  }

  public QueryLimits limits() {
    return limits;
  }

  /** The lake's tables that hold data now, in the order of the job's table list. */
  public List<String> tables() {
    db.refresh();
    return db.tables();
  }

  /** Every queryable view: the tables, plus alerts_latest when alerts are present. */
  public List<String> views() {
    return db.refresh();
  }

  /** Columns of each view, for the endpoint's table listing. */
  public Map<String, List<Column>> schema() {
    Map<String, List<Column>> schema = new LinkedHashMap<>();
    for (String view : views()) {
      List<Column> columns = new ArrayList<>();
      query("SELECT * FROM " + view + " LIMIT 0", new ResultSink() {
        @Override
        public void columns(List<Column> c) {
          columns.addAll(c);
        }

        @Override
        public void row(Object[] values) {}

        @Override
        public void end() {}
      });
      schema.put(view, columns);
    }
    return schema;
  }

  /** Runs a canned report; fails naming the missing table when the lake lacks one it needs. */
  public Stats report(String name, ResultSink sink) {
    Report report = Reports.named(name);
    List<String> present = requireTables();
    for (String table : report.needs()) {
      if (!present.contains(table)) {
        throw new QueryException(QueryException.Kind.UNKNOWN_TABLE, "report " + name + " needs table " + table
            + ", which is not under " + root() + " (tables present: " + String.join(", ", present) + ")");
      }
    }
    return query(report.sql(), sink);
  }

  /** Runs one read-only query, streaming its rows to {@code sink}. */
  public Stats query(String sql, ResultSink sink) {
    List<String> present = requireTables();
    acquireSlot();
    long start = System.nanoTime();
    try (DuckDBConnection c = db.connect()) {
      SqlGuard.Verdict verdict = db.guard().check(c, sql, db.views(), present, db.lake());
      if (verdict.computedSeries()) PlanEstimates.checkSeries(c, sql);
      long rows = run(c, sql, sink);
      return new Stats(rows, (System.nanoTime() - start) / 1_000_000);
    } catch (SQLException e) {
      throw new QueryException(QueryException.Kind.SQL, SqlErrors.firstLine(e), e);
    } finally {
      slots.release();
    }
  }

  /** The tables present; a {@link QueryException} naming the fix when there is none yet. */
  List<String> requireTables() {
    db.refresh();
    List<String> present = db.tables();
    if (present.isEmpty()) throw new QueryException(QueryException.Kind.NO_DATA, db.lake().noTablesMessage());
    return present;
  }

  private void acquireSlot() {
    try {
      if (limits.timeout() == null) {
        slots.acquire();
      } else if (!slots.tryAcquire(limits.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new QueryException(QueryException.Kind.BUSY, "all " + limits.maxConcurrent() + " query slots stayed "
            + "busy for " + describe(limits.timeout()) + " (--max-concurrent); try again");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException(QueryException.Kind.BUSY, "interrupted while waiting for a query slot");
    }
  }

  private long run(DuckDBConnection c, String sql, ResultSink sink) throws SQLException {
    AtomicBoolean timedOut = new AtomicBoolean();
    try (Statement st = c.createStatement()) {
      ScheduledFuture<?> stopper = limits.timeout() == null ? null : timer.schedule(() -> {
        timedOut.set(true);
        cancelQuietly(st);
      }, limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
      try (ResultSet rs = st.executeQuery(sql)) {
        return stream(rs, sink);
      } catch (SQLException e) {
        if (timedOut.get() || SqlErrors.isInterrupt(e)) {
          throw new QueryException(QueryException.Kind.TIMEOUT, "the query ran longer than "
              + describe(limits.timeout()) + " and was stopped (--timeout): filter on date/hour, aggregate "
              + "more, or raise the limit", e);
        }
        if (SqlErrors.isOutOfMemory(e)) {
          throw new QueryException(QueryException.Kind.TOO_LARGE, "the query needs more memory than "
              + limits.memoryLimit() + " (--memory-limit): aggregate more or filter on date/hour", e);
        }
        throw e;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the result", e);
      } finally {
        if (stopper != null) stopper.cancel(false);
      }
    }
  }

  private long stream(ResultSet rs, ResultSink sink) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<Column> columns = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) columns.add(new Column(md.getColumnName(i), md.getColumnTypeName(i)));
    sink.columns(columns);
    long rows = 0;
    while (rs.next()) {
      if (limits.maxRows() != null && rows >= limits.maxRows()) {
        throw new QueryException(QueryException.Kind.TOO_LARGE, String.format(
            "the result has more than %,d rows (--max-rows): aggregate, filter or add LIMIT", limits.maxRows()));
      }
      Object[] values = new Object[n];
      for (int i = 0; i < n; i++) values[i] = Cells.read(rs, i + 1);
      sink.row(values);
      rows++;
    }
    sink.end();
    return rows;
  }

  private static void cancelQuietly(Statement st) {
    try {
      st.cancel();
    } catch (SQLException | RuntimeException e) {
      // the query finished while we were cancelling it
    }
  }

  static String describe(java.time.Duration d) {
    return d == null ? "forever" : io.fleetpulse.model.Durations.format(d);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    db.close();
  }

  /** For tests of the engine's settings without the guard in front. */
  java.sql.Connection connectionWithoutGuard() throws SQLException {
    return db.connect();
  }
}
