package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.schema.WindowMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQL endpoint over HTTP, attacked the ways the issue lists (and a few more): each attempt is refused with a
 * clear message and leaves no trace (no file written, no view changed), while normal queries keep working. The
 * lake's folder holds a secret next to the tables (as the demo's broker log and checkpoints do) and a sibling
 * folder sharing a table's name as prefix.
 */
@Timeout(120)
class EndpointSafetyTest {

  static final String TOKEN = "s3cret-token";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path data;
  static List<WindowMetrics> rows;
  static QueryServer server;
  static HttpClient http;

  @BeforeAll
  static void serve() throws IOException {
    data = dir.resolve("data");
    rows = TestLakes.writeWindows(data);
    Files.createDirectories(data.resolve("_kafka"));
    Files.writeString(data.resolve("_kafka/secret.txt"), "broker secret\n");
    Files.createDirectories(data.resolve("ultraserver_window_old"));
    Files.writeString(data.resolve("ultraserver_window_old/a.csv"), "x\n1\n");
    QueryLimits limits = new QueryLimits(Duration.ofSeconds(2), 1000L, 200_000L, "256MB", 2, 2);
    server = QueryServer.start(data, limits, new QueryServer.Settings("127.0.0.1", 0, TOKEN), line -> {});
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void aNormalQueryAnswersJsonMatchingTheRowsWritten() throws Exception {
    HttpResponse<String> r = get("/api/sql?q=" + enc(
        "SELECT site, count(*) AS windows, sum(samples) AS samples FROM ultraserver_window GROUP BY site ORDER BY site"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    Map<String, Long> expected = new TreeMap<>(rows.stream().collect(
        Collectors.groupingBy(w -> w.getSite(), Collectors.summingLong(WindowMetrics::getSamples))));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body).hasSize(3);
    for (JsonNode row : body) {
      assertThat(row.get("samples").asLong()).isEqualTo(expected.get(row.get("site").asText()));
      assertThat(row.get("windows").asLong()).isEqualTo(480);
    }
    assertThat(r.headers().firstValue("X-FleetPulse-Rows")).hasValue("3");
  }

  @Test
  void csvAndPostWorkToo() throws Exception {
    HttpResponse<String> csv = get("/api/sql?format=csv&q=" + enc(
        "SELECT ultraserver_id, count(*) AS n FROM ultraserver_window GROUP BY 1 ORDER BY 1"));
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body().split("\r\n")).containsExactly("ultraserver_id,n", "0,240", "1,240", "2,240", "3,240",
        "4,240", "5,240");
    HttpResponse<String> post = http.send(authorized(URI.create(server.url() + "/api/sql?format=csv"))
        .POST(HttpRequest.BodyPublishers.ofString("SELECT count(*) AS n FROM ultraserver_window")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).isEqualTo("n\r\n" + rows.size() + "\r\n");
    for (String body : List.of("SELECT count(*) AS n FROM ultraserver_window",
        "q=" + enc("SELECT count(*) AS n FROM ultraserver_window"))) {
      HttpResponse<String> form = http.send(authorized(URI.create(server.url() + "/api/sql?format=csv"))
          .header("Content-Type", "application/x-www-form-urlencoded") // what curl --data sends
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(form.body()).as(body).isEqualTo("n\r\n" + rows.size() + "\r\n");
    }
  }

  @Test
  void reportsAndTablesAreListed() throws Exception {
    JsonNode reports = JSON.readTree(get("/api/reports").body());
    assertThat(reports.findValuesAsText("name")).containsAll(Reports.NAMES);
    JsonNode tables = JSON.readTree(get("/api/tables").body());
    assertThat(tables.fieldNames()).toIterable().containsExactly("ultraserver_window");
    assertThat(tables.get("ultraserver_window").findValuesAsText("name")).contains("window_start", "site", "date",
        "hour");
    HttpResponse<String> report = get("/api/reports/efficiency-by-generation");
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(report.body()).findValuesAsText("generation")).containsExactly("trn2", "trn3");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM read_text('/etc/passwd')",
      "SELECT * FROM read_blob('/etc/passwd')",
      "SELECT * FROM '/etc/passwd'",
      "SELECT * FROM read_text('{data}/ultraserver_window/../_kafka/secret.txt')",
      "SELECT * FROM read_csv('{data}/ultraserver_window_old/a.csv')",
      "SELECT * FROM read_parquet('{data}/ultraserver_window/**/*.parquet')",
      "SELECT * FROM glob('/etc/*')",
      "SELECT * FROM query('SELECT 42')",
      "SELECT (SELECT count(*) FROM read_text('/etc/passwd')) AS n FROM ultraserver_window",
      "WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x",
      "COPY (SELECT 1) TO '{dir}/out.csv'",
      "COPY ultraserver_window TO '{data}/ultraserver_window/evil.parquet'",
      "EXPORT DATABASE '{dir}/export'",
      "INSTALL httpfs",
      "FORCE INSTALL httpfs",
      "LOAD httpfs",
      "ATTACH '{dir}/attached.db' AS other",
      "ATTACH ':memory:' AS other",
      "SET enable_external_access = true",
      "SET threads = 64",
      "RESET lock_configuration",
      "PRAGMA enable_profiling",
      "CALL pragma_version()",
      "CREATE TABLE t AS SELECT 1",
      "INSERT INTO ultraserver_window SELECT * FROM ultraserver_window",
      "CREATE OR REPLACE VIEW ultraserver_window AS SELECT 1 AS x",
      "DROP VIEW ultraserver_window",
      "SELECT 1; DROP VIEW ultraserver_window",
      "SELECT * FROM other.main.t",
      "SELECT * FROM information_schema.tables",
  })
  void everyAttackIsRefusedAndLeavesNoTrace(String attack) throws Exception {
    String sql = attack.replace("{data}", data.toString()).replace("{dir}", dir.toString());
    HttpResponse<String> r = get("/api/sql?q=" + enc(sql));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    JsonNode error = JSON.readTree(r.body());
    assertThat(error.get("kind").asText()).isEqualTo("refused");
    assertThat(error.get("error").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\n");
    assertThat(r.body()).doesNotContain("broker secret").doesNotContain("root:");
    try (var files = Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.equals("out.csv") || n.equals("evil.parquet") || n.equals("export")
              || n.startsWith("attached"));
    }
    HttpResponse<String> still = get("/api/sql?format=csv&q=" + enc("SELECT count(*) AS n FROM ultraserver_window"));
    assertThat(still.body()).isEqualTo("n\r\n" + rows.size() + "\r\n");
  }

  @Test
  void anUnknownTableIsNamedWithTheTablesPresent() throws Exception {
    HttpResponse<String> r = get("/api/sql?q=" + enc("SELECT * FROM site_window"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("error").asText())
        .contains("site_window").contains("tables present: ultraserver_window");
  }

  @Test
  void aHugeCrossJoinIsStoppedByTheTimeoutAndTheServerCarriesOn() throws Exception {
    HttpResponse<String> r = get("/api/sql?q=" + enc("SELECT count(*) FROM ultraserver_window a, "
        + "ultraserver_window b, ultraserver_window c, ultraserver_window d WHERE a.power_sum_w + b.power_sum_w > "
        + "c.power_sum_w - d.power_sum_w"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    JsonNode error = JSON.readTree(r.body());
    assertThat(error.get("kind").asText()).isEqualTo("timeout");
    assertThat(error.get("error").asText()).contains("--timeout");
    assertThat(get("/api/sql?q=" + enc("SELECT 1 AS one")).statusCode()).isEqualTo(200);
  }

  @Test
  void resultsOverTheRowOrByteLimitAreRefused() throws Exception {
    HttpResponse<String> tooManyRows = get("/api/sql?q=" + enc("SELECT * FROM range(5000)"));
    assertThat(tooManyRows.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(tooManyRows.body()).get("error").asText()).contains("1,000 rows");
    HttpResponse<String> tooManyBytes = get("/api/sql?q=" + enc("SELECT repeat('x', 1000) AS s FROM range(500)"));
    assertThat(tooManyBytes.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(tooManyBytes.body()).get("error").asText()).contains("200,000 bytes");
    assertThat(get("/api/sql?q=" + enc("SELECT * FROM range(1000)")).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      SELECT * FROM pg_settings WHERE EXISTS (WITH pg_settings AS (SELECT 1) SELECT 1)   | pg_settings
      SELECT name, value FROM pg_settings, (WITH pg_settings AS (SELECT 1) SELECT 1)     | pg_settings
      WITH pg_settings AS (SELECT * FROM pg_settings) SELECT * FROM pg_settings          | WITH pg_settings
      SELECT * FROM duckdb_settings                                                      | duckdb_settings
      SELECT sql FROM duckdb_views                                                       | duckdb_views
      SELECT definition FROM pg_views                                                    | pg_views
      DESCRIBE pg_settings                                                               | pg_settings
      SELECT current_setting('allowed_directories') AS dirs                              | current_setting()
      SELECT current_setting('temp_directory') AS t FROM ultraserver_window LIMIT 1      | current_setting()
      SELECT getenv('HOME') AS home                                                      | getenv()
      SELECT version() AS v                                                              | version()
      SELECT platform() AS p                                                             | platform()
      SELECT * FROM pragma_platform()                                                    | pragma_platform
      SELECT getvariable('x') AS v                                                       | getvariable()
      SELECT parse_path('{data}') AS p                                                   | parse_path()
      """)
  void systemViewsSettingsAndSystemFunctionsAreRefused(String attack, String named) throws Exception {
    HttpResponse<String> r = get("/api/sql?q=" + enc(attack.replace("{data}", data.toString())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    JsonNode error = JSON.readTree(r.body());
    assertThat(error.get("kind").asText()).isEqualTo("refused");
    assertThat(error.get("error").asText()).contains(named).doesNotContain("\n");
    assertThat(r.body()).doesNotContain(data.toString()).doesNotContain("memory_limit");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      SELECT length(repeat('x', 3000000000)) AS n                                           | repeat()
      SELECT len(range(400000000)) AS n                                                     | range()
      SELECT len(list_resize([1], 1000000000)) AS n                                         | list_resize()
      SELECT len([range(1000) FOR x IN range(10000)]) AS n                                  | inside a lambda
      SELECT len(flatten(list_transform(range(10000), x -> range(10000)))) AS n             | inside a lambda
      SELECT length(lpad('x', 1000000000)) AS n                                             | lpad()
      SELECT length(printf('%1000000000d', 1)) AS n                                         | printf()
      SELECT count(*) AS n FROM range(100000000000)                                         | would yield
      SELECT count(*) AS n FROM range((10 ^ 11)::BIGINT)                                    | would yield
      SELECT length(string_agg('xxxxxxxxxx', '')) AS n FROM range(3000000)                  | string_agg(...)
      SELECT len(list(range)) AS n FROM range(20000000)                                     | list(...)
      SELECT len(string_agg(site, '') OVER (ORDER BY window_start)) AS n FROM ultraserver_window | window function
      """)
  void resourceBombsAreRefusedBeforeRunning(String bomb, String named) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = get("/api/sql?q=" + enc(bomb));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).get("error").asText()).contains(named);
    assertThat(ms).as("refused before running").isLessThan(1_000);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '@', textBlock = """
      WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) AS n FROM t @ 503
      WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n + 1 FROM t) SELECT max(n) AS n FROM t @ 503
      WITH RECURSIVE t(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM t) SELECT max(length(s)) AS n FROM t @ 413/503
      SELECT count(*) AS n FROM range(100000) a, range(100000) b WHERE a.range + b.range = 7 @ 503
      SELECT count(*) AS n FROM range(100000000) a, range(100000000) b, range(100000000) c WHERE a.range * b.range = c.range @ 413/503
      SELECT count(*) AS n FROM range(100000) a, range(100000) b, range(100) c WHERE a.range <> b.range + c.range @ 503
      SELECT length(string_agg(a.site || b.site, '')) AS n FROM ultraserver_window a, ultraserver_window b, range(1000) @ 413/503
      SELECT count(*) AS n FROM ultraserver_window a, ultraserver_window b, range(1000) c WHERE regexp_matches(a.site || b.site || c.range, '^(u|s)+.*[0-9]{3}$') @ 503
      SELECT count(*) AS n FROM range(10000000) WHERE lpad(range::VARCHAR, 1000, 'a') LIKE '%a%a%a%a%a%a%a%a%a%a%b' @ 503
      """)
  void runawaysAreCutOffWithinTheirLimits(String runaway, String statuses) throws Exception {
    // Whichever limit a memory-hungry one meets first, memory_limit (413) or the deadline (503), depends on the load.
    long start = System.nanoTime();
    HttpResponse<String> r = get("/api/sql?q=" + enc(runaway));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(List.of(statuses.split("/"))).as(r.body()).contains(Integer.toString(r.statusCode()));
    assertThat(JSON.readTree(r.body()).get("kind").asText())
        .isEqualTo(r.statusCode() == 503 ? "timeout" : "too-large");
    assertThat(ms).as("answered within the 2 s limit and the grace").isLessThan(2_000 + LakeSql.ANSWER_GRACE_MS
        + 500);
    assertThat(get("/api/sql?q=" + enc("SELECT 1 AS one")).statusCode()).isEqualTo(200);
  }

  @Test
  void aStatementNestedDeeplyEnoughToOverflowDuckDbsStackIsRefused() throws Exception {
    // 800 nested abs() crash a JVM whose thread has a 1 MB stack (DuckDB binds them recursively, natively).
    HttpResponse<String> r = http.send(authorized(URI.create(server.url() + "/api/sql"))
        .POST(HttpRequest.BodyPublishers.ofString("SELECT " + "abs(".repeat(900) + "samples" + ")".repeat(900)
            + " FROM ultraserver_window")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).get("error").asText()).contains("levels deep");
    assertThat(get("/api/sql?q=" + enc("SELECT 1 AS one")).statusCode()).isEqualTo(200);
  }

  @Test
  void regexBacktrackingDoesNotApply() throws Exception {
    // DuckDB's regular expressions are RE2: linear time, no catastrophic backtracking to guard against.
    long start = System.nanoTime();
    HttpResponse<String> r = get("/api/sql?format=csv&q=" + enc("SELECT regexp_matches(repeat('a', 10000), "
        + "'(a*)*b') AS m, regexp_matches(repeat('a', 10000), '^(a|aa)+$') AS n"));
    assertThat(r.body()).isEqualTo("m,n\r\nfalse,true\r\n");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
  }

  @Test
  void aNormalQueryKeepsWorkingWhileARunawayRuns() throws Exception {
    CompletableFuture<HttpResponse<String>> runaway = CompletableFuture.supplyAsync(() -> {
      try {
        return get("/api/sql?q=" + enc("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) "
            + "SELECT count(*) AS n FROM t"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    int answered = 0;
    while (!runaway.isDone()) {
      HttpResponse<String> normal = get("/api/sql?format=csv&q=" + enc("SELECT count(*) AS n FROM ultraserver_window"));
      assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
      assertThat(normal.body()).isEqualTo("n\r\n" + rows.size() + "\r\n");
      answered++;
    }
    assertThat(runaway.get().statusCode()).isEqualTo(503);
    assertThat(answered).as("normal queries answered while the runaway ran").isGreaterThan(1);
  }

  @Test
  void withoutTheTokenNothingIsAnswered() throws Exception {
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/sql?q="
        + enc("SELECT 1"))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/reports"))
        .header("Authorization", "Bearer " + TOKEN + "x").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("carbon-by-site");
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestForAnotherHostNameIsRefused() throws Exception {
    // What a DNS-rebinding page in a browser sends: the attacker's host name, resolved to 127.0.0.1.
    String evil = rawGet("evil.example:" + server.port(), "/api/sql?q=" + enc("SELECT 1"));
    assertThat(evil).startsWith("HTTP/1.1 403").contains("forbidden-host");
    String local = rawGet("localhost:" + server.port(), "/api/sql?q=" + enc("SELECT 1 AS one"));
    assertThat(local).startsWith("HTTP/1.1 200").contains("\"one\":1");
  }

  @Test
  void bindingBeyondLoopbackWithoutATokenFailsFast() {
    assertThatThrownBy(() -> QueryServer.start(data, QueryLimits.endpoint(),
        new QueryServer.Settings("0.0.0.0", 0, null), line -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--bind 0.0.0.0").hasMessageContaining("token");
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(authorized(URI.create(server.url() + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder authorized(URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN);
  }

  static String enc(String sql) {
    return URLEncoder.encode(sql, StandardCharsets.UTF_8);
  }

  static String rawGet(String host, String pathAndQuery) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TOKEN
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
