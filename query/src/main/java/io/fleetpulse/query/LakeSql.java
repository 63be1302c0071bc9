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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;

/**
 * SQL over the lake: the one entry point the CLI, the endpoint and the demo use. Each query gets its own
 * connection to the locked {@link LakeDatabase}, passes {@link SqlGuard}, and runs under {@link QueryLimits}:
 * a slot among {@code maxConcurrent}, at most {@code maxRows} rows, and a deadline of {@code timeout} that holds
 * whatever the engine does: the query runs on a worker thread, is interrupted at the deadline (repeatedly, see
 * {@link QueryRun}), and the caller gets its TIMEOUT at most {@link #ANSWER_GRACE_MS} later even when a native
 * call ignores the interrupt. Such a runaway keeps its slot (and its CPU) until it ends; {@link #onRunaway} is
 * told when one is still going {@link #RUNAWAY_AFTER_MS} after its deadline, so a process of its own
 * ({@link QueryServerChild}) can end itself and be restarted. Thread-safe.
 */
public final class LakeSql implements AutoCloseable {

  /** What a query cost: rows returned and wall time, ms. */
  public record Stats(long rows, long elapsedMs) {}

  /** How long after its deadline a query that ignores the interrupt is answered anyway. */
  static final long ANSWER_GRACE_MS = 1_000;
  /** How long after its deadline a query still running is a runaway. */
  static final long RUNAWAY_AFTER_MS = 10_000;

  private final LakeDatabase db;
  private final QueryLimits limits;
  private final Semaphore slots;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("lake-sql-timeout", 0));
  /** Stack for a query's thread: DuckDB parses and binds on it, recursively, in native code a Java stack holds. */
  static final long QUERY_STACK_BYTES = 16L << 20;

  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("lake-sql-query", QUERY_STACK_BYTES));
  private volatile Consumer<String> onRunaway = what -> { };

  private LakeSql(LakeDatabase db, QueryLimits limits) {
    this.db = db;
    this.limits = limits;
    this.slots = new Semaphore(limits.maxConcurrent(), true);
  }

  private static ThreadFactory daemon(String name, long stackBytes) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), stackBytes);
      t.setDaemon(true);
      return t;
    };
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
    return query(report.sqlOver(views()), sink);
  }

  /** Runs one read-only query, streaming its rows to {@code sink}. */
  public Stats query(String sql, ResultSink sink) {
    List<String> present = requireTables();
    acquireSlot();
    QueryRun run = new QueryRun(sql);
    if (limits.timeout() == null) {
      try {
        return new Stats(execute(run, sink, present), run.elapsedMs());
      } finally {
        slots.release();
      }
    }
    Future<Long> rows;
    try {
      rows = workers.submit(() -> {
        try {
          return execute(run, run.gate(sink), present);
        } finally {
          run.finish();
          slots.release();
        }
      });
    } catch (RejectedExecutionException e) {
      slots.release();
      throw new QueryException(QueryException.Kind.BUSY, "the lake is closing");
    }
    Runnable stopWatching = watch(run);
    try {
      long n = rows.get(limits.timeout().toMillis() + ANSWER_GRACE_MS, TimeUnit.MILLISECONDS);
      stopWatching.run();
      return new Stats(n, run.elapsedMs());
    } catch (TimeoutException e) {
      run.abandon();
      throw timedOut(null);
    } catch (InterruptedException e) {
      run.abandon();
      Thread.currentThread().interrupt();
      throw new QueryException(QueryException.Kind.BUSY, "interrupted while the query ran");
    } catch (ExecutionException e) {
      stopWatching.run();
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Interrupts at the deadline, again every few ms until the query stops; flags it when it will not stop. Returns
   * what stops watching (once the worker is done).
   */
  private Runnable watch(QueryRun run) {
    long deadline = limits.timeout().toMillis();
    ScheduledFuture<?> interrupts = timer.scheduleWithFixedDelay(() -> {
      if (!run.finished()) run.expire();
    }, deadline, QueryRun.REPEAT_MS, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> runaway = timer.schedule(() -> {
      interrupts.cancel(false);
      if (!run.finished()) {
        onRunaway.accept(String.format("a query still runs %,d ms after its deadline of %s, ignoring the "
            + "interrupt: %s", RUNAWAY_AFTER_MS, describe(limits.timeout()), oneLine(run.sql())));
      }
    }, deadline + RUNAWAY_AFTER_MS, TimeUnit.MILLISECONDS);
    return () -> {
      interrupts.cancel(false);
      runaway.cancel(false);
    };
  }

  /**
   * Told (on a timer thread) when a query still runs {@link #RUNAWAY_AFTER_MS} after its deadline: it holds a
   * slot and CPU that only ending the process gets back.
   */
  public void onRunaway(Consumer<String> action) {
    this.onRunaway = action;
  }

  private long execute(QueryRun run, ResultSink sink, List<String> present) {
    try (DuckDBConnection c = db.connect()) {
      SqlGuard.Verdict verdict = db.guard().check(c, run.sql(), db.views(), present, db.lake());
      if (verdict.computedSeries()) PlanEstimates.checkSeries(c, run.sql());
      return run(c, run, sink);
    } catch (SQLException e) {
      if (run.expired() || SqlErrors.isInterrupt(e)) throw timedOut(e);
      throw new QueryException(QueryException.Kind.SQL, SqlErrors.firstLine(e), e);
    } catch (OutOfMemoryError e) {
      // One allocation too large for the heap (a huge value or chunk of the result): it failed, nothing else did.
      throw new QueryException(QueryException.Kind.TOO_LARGE, "the result is too large to hold in memory "
          + "(--max-bytes, --max-rows): select fewer or smaller columns, aggregate or add LIMIT");
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

  private long run(DuckDBConnection c, QueryRun run, ResultSink sink) throws SQLException {
    try (Statement st = c.createStatement()) {
      run.running(st);
      try (ResultSet rs = st.executeQuery(run.sql())) {
        return stream(rs, sink);
      } catch (SQLException e) {
        if (run.expired() || SqlErrors.isInterrupt(e)) throw timedOut(e);
        if (SqlErrors.isOutOfMemory(e)) throw outOfMemory(e);
        throw e;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the result", e);
      }
    }
  }

  private QueryException timedOut(SQLException cause) {
    return new QueryException(QueryException.Kind.TIMEOUT, "the query ran longer than "
        + describe(limits.timeout()) + " and was stopped (--timeout): filter on date/hour, aggregate "
        + "more, or raise the limit", cause);
  }

  private QueryException outOfMemory(SQLException e) {
    if (SqlErrors.isProcessOutOfMemory(e)) {
      // An allocation outside DuckDB's buffer manager failed: the process's own cap (QueryServerChild) was hit.
      return new QueryException(QueryException.Kind.TOO_LARGE, "the query needs more memory than the endpoint's "
          + "process may use: aggregate more, filter on date/hour, or build smaller values", e);
    }
    return new QueryException(QueryException.Kind.TOO_LARGE, "the query needs more memory than "
        + limits.memoryLimit() + " (--memory-limit): aggregate more or filter on date/hour", e);
  }

  static String oneLine(String sql) {
    String s = sql.replaceAll("\\s+", " ").strip();
    return s.length() > 160 ? s.substring(0, 157) + "..." : s;
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

  static String describe(java.time.Duration d) {
    return d == null ? "forever" : io.fleetpulse.model.Durations.format(d);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
    db.close();
  }

  /** For tests of the engine's settings without the guard in front. */
  java.sql.Connection connectionWithoutGuard() throws SQLException {
    return db.connect();
  }
}
