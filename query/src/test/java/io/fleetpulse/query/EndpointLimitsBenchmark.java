package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures in query/README.md: each attack of issue 11 against the endpoint as the demo runs it (a child JVM,
 * {@link QueryLimits#endpoint()} limits: 30 s, 2GB, 2 threads), with the answer, its time and the child's peak
 * resident memory for that query (reset before each through /proc/PID/clear_refs). Not part of {@code verify}
 * (it takes a few minutes): {@code ./mvnw -q -pl query -am test -Dtest=EndpointLimitsBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class EndpointLimitsBenchmark {

  record Attack(String name, String sql) {}

  static final List<Attack> ATTACKS = List.of(
      new Attack("huge repeat", "SELECT length(repeat('x', 3000000000)) AS n"),
      new Attack("huge range() list", "SELECT len(range(400000000)) AS n"),
      new Attack("list_resize bomb", "SELECT len(list_resize([1], 1000000000)) AS n"),
      new Attack("lambda list bomb", "SELECT len(flatten(list_transform(range(10000), x -> range(10000)))) AS n"),
      new Attack("huge range() table", "SELECT count(*) AS n FROM range(100000000000)"),
      new Attack("computed range() table", "SELECT count(*) AS n FROM range((10 ^ 11)::BIGINT)"),
      new Attack("string_agg over a range", "SELECT length(string_agg('xxxxxxxxxx', '')) AS n FROM range(300000000)"),
      new Attack("string_agg over the lake squared", "SELECT length(string_agg(a.site || b.site, '')) AS n "
          + "FROM ultraserver_window a, ultraserver_window b, range(1000)"),
      new Attack("replace() on a gathered string", "SELECT max(length(replace(s, 'x', repeat('y', 1000)))) AS n "
          + "FROM (SELECT string_agg('x', '') AS s FROM range(10000000))"),
      new Attack("string_agg as a window", "SELECT len(string_agg(site, '') OVER (ORDER BY window_start)) AS n "
          + "FROM ultraserver_window"),
      new Attack("recursive CTE", "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) "
          + "SELECT count(*) AS n FROM t"),
      new Attack("recursive CTE doubling a string", "WITH RECURSIVE t(s) AS (SELECT 'x' UNION ALL SELECT s || s "
          + "FROM t) SELECT max(length(s)) AS n FROM t"),
      new Attack("cross join of ranges", "SELECT count(*) AS n FROM range(100000) a, range(100000) b "
          + "WHERE a.range + b.range = 7"),
      new Attack("bigger cross join of ranges", "SELECT count(*) AS n FROM range(1000000) a, range(1000000) b "
          + "WHERE a.range + b.range = 7"),
      new Attack("regex over a cross join", "SELECT count(*) AS n FROM ultraserver_window a, ultraserver_window b, "
          + "range(1000) c WHERE regexp_matches(a.site || b.site || c.range, '^(u|s)+.*[0-9]{3}$')"),
      new Attack("pg_settings behind a CTE", "SELECT * FROM pg_settings WHERE EXISTS (WITH pg_settings AS "
          + "(SELECT 1) SELECT 1)"),
      new Attack("current_setting()", "SELECT current_setting('allowed_directories') AS d"),
      new Attack("uninterruptible lambda", QueryServerProcessIT.RUNAWAY),
      new Attack("a normal query afterwards", "SELECT site, count(*) AS n FROM ultraserver_window GROUP BY site"));

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void eachAttackAgainstTheDemosEndpoint() throws Exception {
    TestLakes.writeWindows(dir);
    HttpClient http = HttpClient.newHttpClient();
    try (QueryServerProcess endpoint = QueryServerProcess.start(dir, QueryLimits.endpoint(),
        QueryServer.Settings.loopback(0), line -> {
          if (line.contains("capped")) System.out.println(line);
        })) {
      System.out.println("| attack | answer | time | child RSS peak |");
      System.out.println("|---|---|---|---|");
      for (Attack a : ATTACKS) {
        assertThat(endpoint.awaitHealthy(Duration.ofSeconds(120))).isTrue();
        long pid = endpoint.pid();
        resetPeak(pid);
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/api/sql?q="
            + URLEncoder.encode(a.sql(), StandardCharsets.UTF_8))).timeout(Duration.ofMinutes(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - start) / 1_000_000;
        String kind = r.statusCode() == 200 ? "" : " " + JSON.readTree(r.body()).path("kind").asText();
        OptionalLong peak = peakResident(pid);
        System.out.printf("| %s | %d%s | %.1f s | %s |%n", a.name(), r.statusCode(), kind, ms / 1000.0,
            peak.isPresent() ? (peak.getAsLong() >> 20) + " MB" : "(ended)");
        if (a.sql().equals(QueryServerProcessIT.RUNAWAY)) {
          int restarts = endpoint.restarts();
          await().atMost(Duration.ofMinutes(2)).until(() -> endpoint.restarts() > restarts);
          System.out.printf("| (the same, its process) | ended itself, restarted | %.1f s after the query began | |%n",
              (System.nanoTime() - start) / 1e9);
        }
      }
      System.out.println("restarts: " + endpoint.restarts());
    }
  }

  /** Linux: writing 5 to clear_refs resets the peak resident size (VmHWM) of a process we own. */
  static void resetPeak(long pid) {
    try {
      Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
    } catch (IOException e) {
      // gone already, or not Linux: the figure is then the process's peak so far
    }
  }

  static OptionalLong peakResident(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
      }
    } catch (IOException e) {
      // the process ended
    }
    return OptionalLong.empty();
  }
}
