package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard on its own, statement by statement, without HTTP: the ways around it the issue found (a WITH name
 * hiding a system view elsewhere in the statement, settings read through functions, values built past any memory
 * limit) are refused before anything runs, naming what was refused, while what analysts write keeps running.
 */
class SqlGuardTest {

  @TempDir static Path dir;
  static LakeSql sql;

  @BeforeAll
  static void open() {
    TestLakes.writeWindows(dir);
    sql = LakeSql.open(dir, new QueryLimits(Duration.ofSeconds(20), 100_000L, null, "256MB", 2, 2));
  }

  @AfterAll
  static void close() {
    sql.close();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      SELECT * FROM pg_settings WHERE EXISTS (WITH pg_settings AS (SELECT 1) SELECT 1)      | pg_settings
      SELECT * FROM pg_settings, (WITH pg_settings AS (SELECT 1) SELECT 1)                  | pg_settings
      WITH pg_settings AS (SELECT 1) SELECT * FROM pg_settings                              | WITH pg_settings
      WITH pg_settings AS (SELECT * FROM pg_settings) SELECT * FROM pg_settings             | WITH pg_settings
      WITH RECURSIVE duckdb_settings AS (SELECT 1) SELECT * FROM duckdb_settings            | WITH duckdb_settings
      WITH x AS (SELECT 1), information_schema AS (SELECT 1) SELECT * FROM x                | WITH information_schema
      SELECT * FROM duckdb_settings                                                         | duckdb_settings
      SELECT * FROM duckdb_views                                                            | duckdb_views
      SELECT * FROM pg_views                                                                | pg_views
      SELECT * FROM sqlite_master                                                           | sqlite_master
      SELECT * FROM main.pg_settings                                                        | pg_settings
      SELECT * FROM system.main.duckdb_tables                                               | outside the lake
      SELECT * FROM pg_catalog.pg_settings                                                  | outside the lake
      SELECT * FROM information_schema.columns                                              | outside the lake
      DESCRIBE pg_settings                                                                  | pg_settings
      SUMMARIZE duckdb_views                                                                | duckdb_views
      SELECT * FROM duckdb_settings()                                                       | duckdb_settings
      SELECT sql FROM duckdb_views()                                                        | duckdb_views
      SELECT * FROM pragma_version()                                                        | pragma_version
      SELECT current_setting('allowed_directories')                                         | current_setting()
      SELECT current_setting('memory_limit') FROM ultraserver_window                        | current_setting()
      SELECT system.main.current_setting('temp_directory')                                  | current_setting()
      SELECT s.current_setting() FROM (SELECT 'allowed_directories' AS s)                   | current_setting()
      SELECT getvariable('x')                                                               | getvariable()
      SELECT version()                                                                      | version()
      SELECT current_query()                                                                | current_query()
      SELECT txid_current()                                                                 | txid_current()
      SELECT write_log('x')                                                                 | write_log()
      SELECT json_serialize_plan('SELECT * FROM pg_settings')                               | json_serialize_plan()
      SELECT pg_get_viewdef(1)                                                              | pg_get_viewdef()
      SELECT parse_path('/etc/passwd')                                                      | parse_path()
      SELECT levenshtein(site, 'us-in') FROM ultraserver_window                             | levenshtein()
      SELECT list_aggr([1], 'bitstring_agg', 0, 1)                                          | bitstring_agg
      SELECT (SELECT current_setting('threads')) AS t                                       | current_setting()
      SELECT list_transform([1], x -> current_setting('threads'))                           | current_setting()
      SELECT * FROM range(current_setting('threads')::INT)                                  | current_setting()
      """)
  void systemViewsSettingsAndFunctionsAreRefused(String query, String named) {
    assertRefused(query, named);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      SELECT length(repeat('x', 3000000000))                                      | repeat()
      SELECT length(repeat('x', '3000000000'))                                    | repeat()
      SELECT length(repeat('x', 1e10))                                            | repeat()
      SELECT length(repeat('x', 100000000000000000000))                           | repeat()
      SELECT length(repeat('abcdefghij', 1001))                                   | repeat()
      SELECT length(repeat(site, 3)) FROM ultraserver_window                      | repeat() repeats only
      SELECT length(repeat('x', ultraserver_id)) FROM ultraserver_window          | count must be a number
      SELECT len(repeat([1, 2], 1000000))                                         | repeat()
      SELECT length(s.repeat(3000000000)) FROM (SELECT 'x' AS s)                  | repeat() repeats only
      SELECT len(n.range()) FROM (SELECT 400000000 AS n)                          | literal integer bounds
      SELECT length(s.lpad(1000000000)) FROM (SELECT 'x' AS s)                    | lpad()
      SELECT len(range(400000000))                                                | range()
      SELECT len(range(0, 400000000, 1))                                          | range()
      SELECT len(generate_series(1, 10000)) + len(generate_series(1, 10001))         | generate_series()
      SELECT len(range(ultraserver_id)) FROM ultraserver_window                   | literal integer bounds
      SELECT len(list_resize([1], 1000000000))                                    | list_resize()
      SELECT len(array_resize([1], 20000, 0))                                     | array_resize()
      SELECT len(list_resize([1], 10, site)) FROM ultraserver_window              | fills only
      SELECT length(lpad('x', 1000000000, 'y'))                                   | lpad()
      SELECT length(rpad(site, 10001)) FROM ultraserver_window                    | rpad()
      SELECT length(printf('%1000000000d', 1))                                    | printf()
      SELECT length(printf('%.*f', 1000000000, 1.5))                              | printf()
      SELECT length(printf(site, 1)) FROM ultraserver_window                      | printf()
      SELECT length(format('{:>1000000000}', 'x'))                                | format()
      SELECT length(format('{:>{}}', 'x', 1000000000))                            | format()
      SELECT length(bar(1, 0, 1, 1000000000))                                     | bar()
      SELECT length(to_base(1, 2, 1000000000))                                    | to_base()
      SELECT len(equi_width_bins(0, 1, 1000000000, false))                        | equi_width_bins()
      SELECT list_transform(range(100), x -> range(1000))                         | inside a lambda
      SELECT [lpad(x::VARCHAR, 1000) FOR x IN range(10)]                          | inside a lambda
      SELECT count(*) FROM range(1000000000000)                                   | range(...) would yield
      SELECT count(*) FROM generate_series(0, 1000000000)                         | generate_series(...) would yield
      SELECT count(*) FROM range((10 ^ 12)::BIGINT)                               | range(...) would yield
      SELECT count(*) FROM range(1::BIGINT << 40)                                 | range(...) would yield
      SELECT length(string_agg('xxxxxxxxxx', '')) FROM range(50000000)            | string_agg(...)
      SELECT length(string_agg(range::VARCHAR, ',')) FROM range(1000000)          | string_agg(...)
      SELECT len(list(range)) FROM range(20000000)                                | list(...)
      SELECT string_agg(site, ',') OVER (ORDER BY window_start) FROM ultraserver_window | window function
      SELECT len(list(power_sum_w) OVER (ROWS UNBOUNDED PRECEDING)) FROM ultraserver_window | window function
      """)
  void valuesBuiltPastTheBoundsAreRefusedBeforeRunning(String query, String named) {
    long start = System.nanoTime();
    assertRefused(query, named);
    assertThat((System.nanoTime() - start) / 1_000_000).as("refused before running").isLessThan(2_000);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      SELECT * FROM (WITH x AS (SELECT 1) SELECT 1), x                          | no table 'x'
      SELECT (WITH x AS (SELECT 1 AS a) SELECT a FROM x) AS a FROM x            | no table 'x'
      WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS x) SELECT * FROM a         | no table 'b'
      WITH t AS (SELECT * FROM t) SELECT * FROM t                               | no table 't'
      SELECT 1 AS a UNION ALL (WITH c AS (SELECT 2) SELECT * FROM c) UNION ALL SELECT * FROM c | no table 'c'
      WITH x AS (SELECT 1 AS a) SELECT * FROM main.x                            | no table 'x'
      """)
  void aWithNameCountsOnlyWhereItIsInScope(String query, String message) {
    assertThatThrownBy(() -> CollectedRows.query(sql, query)).isInstanceOfSatisfying(QueryException.class, e -> {
      assertThat(e.kind()).isEqualTo(QueryException.Kind.UNKNOWN_TABLE);
      assertThat(e.getMessage()).contains(message);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT repeat('-', 20) AS line",
      "SELECT lpad(CAST(hour AS VARCHAR), 2, '0') AS h FROM ultraserver_window LIMIT 1",
      "SELECT bar(0.5, 0, 1, 20) AS b",
      "SELECT printf('%.2f', 1.5) AS p, format('{:>8}', 'x') AS f",
      "SELECT unnest(range(24)) AS h",
      "SELECT [x * 2 FOR x IN range(10)] AS l",
      "SELECT list_transform(range(10), x -> lpad(x::VARCHAR, 3, '0')) AS l",
      "SELECT count(*) AS n FROM range(100000000)",
      "SELECT * FROM generate_series(TIMESTAMP '2026-01-01', TIMESTAMP '2026-01-02', INTERVAL 1 HOUR)",
      "SELECT count(*) AS n FROM range((10 ^ 3)::BIGINT)",
      "SELECT len(list(range)) AS n FROM range(1000000)",
      "SELECT length(string_agg(site, ',')) AS n FROM ultraserver_window",
      "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) AS s FROM t",
      "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM (SELECT * FROM t) WHERE n < 10) SELECT max(n) FROM t",
      "WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b",
      "WITH a AS MATERIALIZED (SELECT 1 AS x), b AS MATERIALIZED (SELECT x FROM a) SELECT * FROM b",
      "WITH a AS (SELECT 1 AS x) SELECT (SELECT x FROM a) AS y, (WITH b AS (SELECT 2) SELECT x FROM a) AS z",
      "WITH ultraserver_window AS (SELECT 1 AS x) SELECT * FROM ultraserver_window",
      "SELECT quantile_cont(power_sum_w, [0.5, 0.9]) AS q, median(samples) AS m FROM ultraserver_window",
      "SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY power_sum_w) AS p FROM ultraserver_window",
      "SELECT site, row_number() OVER (PARTITION BY site ORDER BY window_start) AS n, "
          + "sum(samples) OVER (ORDER BY window_start ROWS 5 PRECEDING) AS s, lag(samples) OVER w AS l "
          + "FROM ultraserver_window WINDOW w AS (ORDER BY window_start) QUALIFY n <= 2",
      "SELECT list_aggr([1, 2], 'sum') AS s, array_to_string([1, 2], '-') AS t",
      "SELECT current_date AS d, now() AS t, strftime(max(window_start), '%Y-%m-%d %H') AS h FROM ultraserver_window",
      "SELECT date_trunc('hour', window_start) AS h, time_bucket(INTERVAL 15 MINUTE, window_start) AS b, "
          + "extract(hour FROM window_start) AS x FROM ultraserver_window LIMIT 1",
      "SELECT TRY_CAST('x' AS INTEGER) AS i, CAST(1.5 AS DECIMAL(10, 2)) AS d, 1::DOUBLE / 3 AS r",
      "SELECT upper(site) || '-' || generation AS s, regexp_replace(site, '-', '_') AS r FROM ultraserver_window",
      "DESCRIBE ultraserver_window",
      "SUMMARIZE ultraserver_window",
      "SHOW TABLES",
      "FROM ultraserver_window SELECT count(*)",
  })
  void whatAnalystsWriteRuns(String query) {
    assertThat(CollectedRows.query(sql, query).ended).as(query).isTrue();
  }

  @Test
  void aMisspelledFunctionIsLeftForDuckDbToNameItsFix() {
    assertThatThrownBy(() -> CollectedRows.query(sql, "SELECT summ(samples) FROM ultraserver_window"))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.kind()).isEqualTo(QueryException.Kind.SQL);
          assertThat(e.getMessage()).contains("summ").contains("sum");
        });
  }

  @Test
  void deeplyNestedStatementsAreRefusedBeforeDuckDbRecursesThroughThem() {
    // Binding 800 nested abs() overflows a 1 MB thread stack inside DuckDB: the JVM would die of SIGSEGV.
    String nested = "SELECT " + "abs(".repeat(150) + "samples" + ")".repeat(150) + " AS a FROM ultraserver_window";
    assertThat(CollectedRows.query(sql, nested + " LIMIT 1").rows).hasSize(1);
    assertRefused("SELECT " + "abs(".repeat(900) + "samples" + ")".repeat(900) + " FROM ultraserver_window",
        "levels deep");
    String subqueries = "SELECT count(*) AS n FROM " + "(SELECT * FROM ".repeat(4000) + "ultraserver_window"
        + ")".repeat(4000);
    assertThatThrownBy(() -> CollectedRows.query(sql, subqueries)).isInstanceOfSatisfying(QueryException.class,
        e -> assertThat(e.kind()).isIn(QueryException.Kind.REFUSED, QueryException.Kind.SQL));
  }

  @Test
  void theLimitsStillAnswerAfterARefusal() {
    assertRefused("SELECT len(range(400000000))", "range()");
    assertThat(CollectedRows.query(sql, "SELECT count(*) AS n FROM ultraserver_window").rows)
        .containsExactly(Map.of("n", (long) TestLakes.windows().size()));
  }

  static void assertRefused(String query, String named) {
    assertThatThrownBy(() -> CollectedRows.query(sql, query)).as(query)
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.kind()).as(e.getMessage()).isEqualTo(QueryException.Kind.REFUSED);
          assertThat(e.getMessage()).contains(named).doesNotContain("\n");
        });
  }
}
