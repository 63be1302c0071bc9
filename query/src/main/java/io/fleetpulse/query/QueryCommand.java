package io.fleetpulse.query;

import io.fleetpulse.model.cli.Converters;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetpulse query}: SQL over the Parquet tables with embedded DuckDB, a view per table; canned reports
 * by name; an aligned table, CSV or JSON on stdout. {@code fleetpulse query serve} is the HTTP endpoint.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    subcommands = {QueryServeCommand.class},
    description = {
      "SQL over the Parquet tables under --data with embedded DuckDB: each table is a view "
          + "(SELECT ... FROM ultraserver_window just works; Hive partition columns date and hour included; "
          + "alerts_latest keeps the latest update per alert). Read-only: one SELECT at a time, over the views only.",
      "Canned reports by name (--list-reports). The result goes to stdout as an aligned table, CSV or JSON; a "
          + "line with the row count and time goes to stderr.",
      "'fleetpulse query serve' runs the same as a read-only HTTP endpoint for notebooks and tools."
    },
    footer = {"", "Examples:",
      "  fleetpulse query --report carbon-by-site",
      "  fleetpulse query \"SELECT site, sum(it_energy_kwh) FROM ultraserver_window GROUP BY site\"",
      "  fleetpulse query --format csv --sql \"SELECT * FROM ultraserver_window WHERE hour = 9\" > hour9.csv",
      "  fleetpulse query serve --port 8090"})
public final class QueryCommand implements Callable<Integer> {

  @Mixin LakeOptions lake;

  @Parameters(arity = "0..1", paramLabel = "SQL",
      description = "The query, as an alternative to --sql.")
  String positionalSql;

  @Option(names = "--sql", paramLabel = "SQL", description = "The query: one SELECT (WITH, FROM-first, DESCRIBE, "
      + "SUMMARIZE and SHOW TABLES too) over the views.")
  String sql;

  @Option(names = {"-r", "--report"}, paramLabel = "NAME", description = "Run a canned report instead: "
      + "carbon-by-site, idle-waste, price-performance, top-stragglers, efficiency-by-generation, fleet-by-hour, "
      + "waste-by-alert-kind.")
  String report;

  @Option(names = "--list-reports", description = "List the canned reports: name, the tables each needs, what it "
      + "answers.")
  boolean listReports;

  @Option(names = "--list-tables", description = "List the views present under --data and their row counts.")
  boolean listTables;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
      converter = FormatConverter.class,
      description = "Output: table (aligned, 6 significant digits), csv or json (array of row objects; NaN as "
          + "null), both at full precision. Default: ${DEFAULT-VALUE}.")
  ResultFormat format;

  @Option(names = "--max-rows", paramLabel = "N", defaultValue = "100000",
      description = "Fail when the result has more rows than this (raise it to export more). Default: "
          + "${DEFAULT-VALUE}.")
  long maxRows;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
      description = "Stop a query running longer than this (e.g. 30s, 5m). Default: no limit.")
  Duration timeout;

  @Option(names = "--memory-limit", paramLabel = "SIZE",
      description = "DuckDB memory limit, e.g. 4GB; nothing spills to disk. Default: DuckDB's (80%% of RAM).")
  String memoryLimit;

  @Option(names = "--threads", paramLabel = "N",
      description = "DuckDB worker threads. Default: DuckDB's (one per core).")
  Integer threads;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final class FormatConverter implements CommandLine.ITypeConverter<ResultFormat> {
    @Override
    public ResultFormat convert(String value) {
      return ResultFormat.parse(value);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (listReports) {
      printReports(out);
      return 0;
    }
    String query = chooseQuery();
    QueryLimits limits = new QueryLimits(timeout, maxRows, null, memoryLimit, threads, 1);
    try (LakeSql lakeSql = LakeSql.open(lake.data(), limits)) {
      if (listTables) {
        printTables(lakeSql, out);
        return 0;
      }
      ResultSink sink = format.writer(out);
      LakeSql.Stats stats = report != null ? lakeSql.report(report, sink) : lakeSql.query(query, sink);
      out.flush();
      err.printf("(%,d row%s, %d ms)%n", stats.rows(), stats.rows() == 1 ? "" : "s", stats.elapsedMs());
    }
    return 0;
  }

  private String chooseQuery() {
    int given = (sql != null ? 1 : 0) + (positionalSql != null ? 1 : 0) + (report != null ? 1 : 0)
        + (listTables ? 1 : 0);
    if (given == 0) {
      throw new IllegalArgumentException("nothing to run: pass SQL (positional or --sql), --report NAME, "
          + "--list-reports or --list-tables; see 'fleetpulse query --help'");
    }
    if (given > 1) {
      throw new IllegalArgumentException("pass one of: SQL (positional or --sql), --report NAME, --list-tables");
    }
    return sql != null ? sql : positionalSql;
  }

  private static void printReports(PrintWriter out) {
    for (Report r : Reports.all()) {
      out.printf("%-26s %s%n", r.name(), r.title());
      out.printf("%-26s needs: %s%n", "", String.join(", ", r.needs()));
    }
    out.flush();
  }

  private static void printTables(LakeSql lakeSql, PrintWriter out) {
    lakeSql.requireTables();
    List<String> views = lakeSql.views();
    StringBuilder sql = new StringBuilder();
    for (String v : views) {
      if (sql.length() > 0) sql.append(" UNION ALL ");
      sql.append("SELECT '").append(v).append("' AS view, count(*) AS rows FROM ").append(v);
    }
    lakeSql.query(sql.toString(), ResultFormat.TABLE.writer(out));
    out.flush();
  }
}
