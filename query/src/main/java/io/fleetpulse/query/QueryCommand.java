package io.fleetpulse.query;

import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetpulse query}: SQL over the Parquet tables with embedded DuckDB, a view per table; canned reports
 * by name; an aligned table, CSV or JSON on stdout. {@code fleetpulse query serve} is the HTTP endpoint.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    sortOptions = false,
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
      "  fleetpulse query serve --sql-port 8090"})
public final class QueryCommand implements Callable<Integer> {

  static final Opt<String> SQL = Opt.string("sql", "SQL").defaultText("none")
      .describe("The query: one SELECT (WITH, FROM-first, DESCRIBE, SUMMARIZE and SHOW TABLES too) over the views.");

  static final Opt<String> REPORT = Opt.string("report", "NAME").alias("-r").defaultText("none")
      // The names from Reports itself, so the help and docs/options.md never miss a report.
      .describe("Run a canned report instead: " + String.join(", ", Reports.NAMES) + ".");

  static final Opt<Boolean> LIST_REPORTS = Opt.bool("list-reports")
      .describe("List the canned reports: name, the tables each needs, what it answers.");

  static final Opt<Boolean> LIST_TABLES = Opt.bool("list-tables")
      .describe("List the views present under --data and their row counts.");

  static final Opt<ResultFormat> FORMAT = Opt.of("format", "table|csv|json", ResultFormat.class, ResultFormat::parse)
      .alias("-f").defaultValue(ResultFormat.TABLE).defaultText("table")
      .describe("Output: table (aligned, 6 significant digits), csv or json (array of row objects; NaN as null), "
          + "both at full precision.");

  static final List<Opt<?>> OPTIONS = Commands.options(QueryOptions.LAKE,
      List.of(SQL, REPORT, LIST_REPORTS, LIST_TABLES, FORMAT));

  @Parameters(arity = "0..1", paramLabel = "SQL",
      description = "The query, as an alternative to --sql.")
  String positionalSql;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** {@code query} with {@code query serve} under it. */
  public static CommandLine commandLine() {
    CommandLine cl = Commands.commandLine(new QueryCommand(), OPTIONS);
    cl.addSubcommand("serve", QueryServeCommand.commandLine());
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Flags flags = Flags.of(spec, OPTIONS);
    if (flags.get(LIST_REPORTS)) {
      printReports(out);
      return 0;
    }
    String sql = flags.get(SQL);
    String report = flags.get(REPORT);
    boolean listTables = flags.get(LIST_TABLES);
    String query = chooseQuery(sql, report, listTables);
    QueryLimits limits = QueryOptions.limits(flags, null, 1);
    try (LakeSql lakeSql = LakeSql.open(QueryOptions.data(flags), limits)) {
      if (listTables) {
        printTables(lakeSql, out);
        return 0;
      }
      ResultSink sink = flags.get(FORMAT).writer(out);
      LakeSql.Stats stats = report != null ? lakeSql.report(report, sink) : lakeSql.query(query, sink);
      out.flush();
      err.printf("(%,d row%s, %d ms)%n", stats.rows(), stats.rows() == 1 ? "" : "s", stats.elapsedMs());
    }
    return 0;
  }

  private String chooseQuery(String sql, String report, boolean listTables) {
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
