package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint in its own JVM, as the demo runs it: a query that exhausts the child's memory, a child killed as
 * the kernel's OOM killer would, and a query the engine will not interrupt each leave this (the parent) process
 * as it was, and a normal query answers afterwards; a child whose parent goes away ends by itself.
 */
@Timeout(300)
class QueryServerProcessIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String COUNT = "SELECT count(*) AS n FROM ultraserver_window";
  /** Passes the guard (string_agg gathers 10^7 characters, the most it may), then replace() makes 10^10 of them. */
  static final String MEMORY_BOMB = "SELECT max(length(replace(s, 'x', repeat('y', 1000)))) AS n "
      + "FROM (SELECT string_agg('x', '') AS s FROM range(10000000))";
  /** Lambdas over constant lists: 10^12 steps DuckDB folds while planning, where no interrupt reaches (minutes). */
  static final String RUNAWAY = "WITH a AS (SELECT range(10000) AS l) SELECT len(list_filter(l, "
      + "x -> len(list_filter(l, y -> list_contains(l, x + y))) > 0)) AS n FROM a";

  @TempDir static Path dir;
  static long windows;
  static HttpClient http = HttpClient.newHttpClient();
  static List<String> childLog = new ArrayList<>();
  static QueryServerProcess endpoint;

  @BeforeAll
  static void start() {
    windows = TestLakes.writeWindows(dir).size();
    QueryLimits limits = new QueryLimits(Duration.ofSeconds(3), 10_000L, 1L << 20, "256MB", 2, 2);
    endpoint = QueryServerProcess.start(dir, limits, QueryServer.Settings.loopback(0),
        new QueryServerProcess.Resources("256m", 768L << 20, 10), QueryServerProcessIT::remember);
  }

  @AfterAll
  static void stop() {
    if (endpoint != null) endpoint.close();
  }

  static synchronized void remember(String line) {
    childLog.add(line);
  }

  static synchronized List<String> log() {
    return List.copyOf(childLog);
  }

  @Test
  void theChildServesOnItsOwnPidWithItsMemoryCapped() throws Exception {
    assertThat(endpoint.pid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(endpoint.url()).isEqualTo("http://127.0.0.1:" + endpoint.port());
    assertThat(get(COUNT).body()).isEqualTo("n\r\n" + windows + "\r\n");
    assertThat(log()).anySatisfy(l -> assertThat(l).contains("address space capped at"));
  }

  @Test
  void aQueryExhaustingTheChildsMemoryFailsAloneAndLeavesTheParentAsItWas() throws Exception {
    long parentPeakBefore = ProcessMemoryCap.peakResidentBytes().orElseThrow();
    long childBefore = endpoint.pid();
    long start = System.nanoTime();
    HttpResponse<String> bomb = get(MEMORY_BOMB);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(bomb.statusCode()).as(bomb.body()).isEqualTo(413);
    JsonNode error = JSON.readTree(bomb.body());
    assertThat(error.get("kind").asText()).isEqualTo("too-large");
    assertThat(error.get("error").asText()).contains("more memory than the endpoint's process may use");
    assertThat(ms).as("answered within the time limit").isLessThan(3_000 + LakeSql.ANSWER_GRACE_MS);
    assertThat(endpoint.pid()).as("the child survived its own out-of-memory").isEqualTo(childBefore);
    assertThat(ProcessMemoryCap.peakResidentBytes().orElseThrow() - parentPeakBefore)
        .as("bytes the parent's peak grew by").isLessThan(64L << 20);
    assertThat(get(COUNT).body()).isEqualTo("n\r\n" + windows + "\r\n");
  }

  @Test
  void aChildKilledForMemoryIsRestartedOnTheSamePortAndAnswersAgain() throws Exception {
    String url = endpoint.url();
    long killed = endpoint.pid();
    int restarts = endpoint.restarts();
    ProcessHandle.of(killed).orElseThrow().destroyForcibly(); // SIGKILL, as the kernel's OOM killer sends
    await().atMost(Duration.ofSeconds(60)).until(() -> endpoint.restarts() > restarts);
    assertThat(endpoint.pid()).isNotEqualTo(killed);
    assertThat(endpoint.url()).isEqualTo(url);
    assertThat(get(COUNT).body()).isEqualTo("n\r\n" + windows + "\r\n");
    assertThat(log()).anySatisfy(l -> assertThat(l).contains("pid " + killed + ") exited with 137"));
  }

  @Test
  void aQueryTheEngineWillNotInterruptIsAnsweredOnTimeAndItsProcessReplaced() throws Exception {
    long runaway = endpoint.pid();
    int restarts = endpoint.restarts();
    long start = System.nanoTime();
    HttpResponse<String> r = get(RUNAWAY);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(JSON.readTree(r.body()).get("kind").asText()).isEqualTo("timeout");
    assertThat(ms).as("answered by the deadline plus the grace").isBetween(3_000L, 3_000L + 1_500L);
    await().atMost(Duration.ofSeconds(90)).until(() -> endpoint.restarts() > restarts);
    assertThat(log()).anySatisfy(l -> assertThat(l).contains("pid " + runaway + ") exited with "
        + QueryServerChild.EXIT_RUNAWAY));
    assertThat(get(COUNT).body()).isEqualTo("n\r\n" + windows + "\r\n");
  }

  @Test
  void aChildWhoseParentClosesItsStdinEndsByItself() throws Exception {
    Process child = startChild(ProcessHandle.current().pid());
    try {
      child.getOutputStream().close();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the child ended").isTrue();
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aChildWhoseParentDiesEndsByItself() throws Exception {
    Process parent = new ProcessBuilder("sleep", "600").start();
    Process child = startChild(parent.pid());
    try {
      parent.destroyForcibly().waitFor();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the child ended").isTrue();
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
      parent.destroyForcibly();
    }
  }

  @Test
  void aChildWhoseParentDiedBeforeItLookedEndsByItself() throws Exception {
    // the race CI once met: the parent died between the child's ready line and its first look at the parent
    Process parent = new ProcessBuilder("true").start();
    parent.waitFor();
    Process child = startChild(parent.pid());
    try {
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the child ended").isTrue();
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
    }
  }

  /** A child started by hand, as QueryServerProcess would, with {@code parentPid} as its parent. */
  static Process startChild(long parentPid) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), QueryServerChild.class.getName()));
    List<String> args = new ArrayList<>(QueryServerChild.arguments(dir, QueryLimits.endpoint(),
        QueryServer.Settings.loopback(0), 0));
    args.set(args.indexOf("--parent-pid") + 1, Long.toString(parentPid));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write("\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith(QueryServerChild.READY)) {
      // the child's start-up log
    }
    assertThat(line).as("the child's ready line").isNotNull();
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // keep the pipe flowing until the child ends
        }
      } catch (IOException e) {
        // the child ended
      }
    });
    drain.setDaemon(true);
    drain.start();
    return p;
  }

  static HttpResponse<String> get(String sql) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/api/sql?format=csv&q="
        + URLEncoder.encode(sql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
