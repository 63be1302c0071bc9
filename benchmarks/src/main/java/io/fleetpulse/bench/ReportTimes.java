package io.fleetpulse.bench;

import io.fleetpulse.query.Column;
import io.fleetpulse.query.LakeSql;
import io.fleetpulse.query.QueryLimits;
import io.fleetpulse.query.Report;
import io.fleetpulse.query.ResultSink;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Times one canned report the way {@code ./fleetpulse query --report NAME} runs it ({@link LakeSql#report}, the
 * CLI's limits: DuckDB threads and memory of {@link QueryLimits#endpoint()}, one query at a time), so the figures
 * follow whatever the query side does (grain selection included). Cold is the first run on a fresh connection (a
 * new in-memory DuckDB over the lake: no metadata or buffers cached; the OS page cache is whatever the machine has);
 * warm is the median of the runs after it on the same connection.
 */
final class ReportTimes {

  /** The CLI's limits without its timeout and row cap: a slow report is measured, not stopped. */
  static final QueryLimits LIMITS = QueryLimits.endpoint().withMaxBytes(null).withMaxConcurrent(1)
      .withTimeout(null).withMaxRows(null);

  /** One report's figures; {@code error} is set (and the times are -1) when it failed. */
  record Times(String report, long rows, long coldMs, long[] warmMs, String error) {

    long medianMs() {
      return warmMs.length == 0 ? coldMs : warmMs[warmMs.length / 2];
    }
  }

  private ReportTimes() {}

  static Times time(Path lake, Report report, int runs) {
    try (LakeSql sql = LakeSql.open(lake, LIMITS)) {
      long t = System.nanoTime();
      long rows = sql.report(report.name(), DISCARD).rows();
      long cold = (System.nanoTime() - t) / 1_000_000;
      long[] warm = new long[runs];
      for (int i = 0; i < runs; i++) {
        t = System.nanoTime();
        sql.report(report.name(), DISCARD);
        warm[i] = (System.nanoTime() - t) / 1_000_000;
      }
      Arrays.sort(warm);
      return new Times(report.name(), rows, cold, warm, null);
    } catch (RuntimeException e) {
      return new Times(report.name(), -1, -1, new long[0], e.getMessage());
    }
  }

  /** The rows are fetched (the engine must produce them) and dropped: printing is not what is timed. */
  static final ResultSink DISCARD = new ResultSink() {
    @Override
    public void columns(List<Column> columns) {}

    @Override
    public void row(Object[] values) {}

    @Override
    public void end() {}
  };
}
