package io.fleetpulse.query;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The SQL endpoint in a child JVM of its own ({@link QueryServerChild}), so that no query can take the process
 * that starts it (the demo's pipeline) down: the child has its own heap ({@code -Xmx}), DuckDB memory_limit and
 * threads, an address-space cap for what DuckDB builds outside its buffer manager ({@link ProcessMemoryCap}), the
 * kernel's first place in line when memory runs out, and a lower CPU priority ({@code nice}).
 * <ul>
 *   <li>{@link #start} returns once the child answers {@code /api/health}; {@link #url()} and {@link #port()} stay
 *       the same for the life of this object;</li>
 *   <li>a child that exits (killed for memory, crashed, or ending itself after a runaway query) or stops
 *       answering {@code /api/health} for {@link #HEALTH_FAILURES} checks in a row is restarted on the same port,
 *       after 1 s, then twice as long each time it dies within a minute of starting (at most 30 s);</li>
 *   <li>{@link #close} stops it; a child whose parent dies (stdin reaches EOF, or the parent's pid is gone) ends
 *       itself.</li>
 * </ul>
 */
public final class QueryServerProcess implements AutoCloseable {

  /**
   * What the child may use.
   *
   * @param heap the child's -Xmx (results are rendered on the heap, up to --max-bytes each)
   * @param processMemoryBytes address space the child may add to what it reserved at start: DuckDB's
   *     memory_limit plus headroom for what it builds outside its buffer manager; 0 leaves it uncapped
   * @param niceness CPU priority below the parent's (nice), 0 for none
   */
  public record Resources(String heap, long processMemoryBytes, int niceness) {

    /** 512m of heap, DuckDB's memory_limit plus 1 GiB of address space, nice 10. */
    public static Resources defaults(QueryLimits limits) {
      long duckdb = limits.memoryLimitBytes().orElse(DEFAULT_DUCKDB_BYTES);
      return new Resources("512m", duckdb + HEADROOM_BYTES, 10);
    }
  }

  static final long HEADROOM_BYTES = 1L << 30;
  static final long DEFAULT_DUCKDB_BYTES = 2_000_000_000L;
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  static final Duration HEALTH_EVERY = Duration.ofSeconds(5);
  static final int HEALTH_FAILURES = 3;
  private static final long FIRST_BACKOFF_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final int LOG_TAIL = 40;

  private final Path data;
  private final QueryLimits limits;
  private final QueryServer.Settings settings;
  private final Resources resources;
  private final Consumer<String> log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService health = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "query-child-health");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger restarts = new AtomicInteger();
  private final Thread supervisor;
  private volatile Child child;
  private volatile int port;
  private volatile boolean closed;
  private volatile int healthFailures;

  private QueryServerProcess(Path data, QueryLimits limits, QueryServer.Settings settings, Resources resources,
      Consumer<String> log) {
    this.data = data;
    this.limits = limits;
    this.settings = settings;
    this.resources = resources;
    this.log = log;
    this.port = settings.port();
    this.supervisor = new Thread(this::supervise, "query-child-supervisor");
    this.supervisor.setDaemon(true);
  }

  /** Starts the endpoint over {@code data} in a child JVM with {@link Resources#defaults}. */
  public static QueryServerProcess start(Path data, QueryLimits limits, QueryServer.Settings settings,
      Consumer<String> log) {
    return start(data, limits, settings, Resources.defaults(limits), log);
  }

  /** Starts the endpoint in a child JVM; returns once it answers {@code /api/health}. */
  public static QueryServerProcess start(Path data, QueryLimits limits, QueryServer.Settings settings,
      Resources resources, Consumer<String> log) {
    Lake lake = Lake.at(data); // a missing folder fails here, with its message, not in the child
    new EndpointAccess(settings.token(), settings.bind()); // so does a public bind without a token
    QueryServerProcess p = new QueryServerProcess(lake.root(), limits, settings, resources, log);
    try {
      p.child = p.launch();
    } catch (RuntimeException e) {
      p.closed = true;
      throw e;
    }
    p.supervisor.start();
    p.health.scheduleWithFixedDelay(p::checkHealth, HEALTH_EVERY.toMillis(), HEALTH_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    return p;
  }

  public int port() {
    return port;
  }

  /** The base URL, e.g. http://127.0.0.1:8090 (a wildcard bind is shown as 127.0.0.1). */
  public String url() {
    String bind = settings.bind();
    String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
    return "http://" + host + ":" + port;
  }

  /** The current child's pid. */
  public long pid() {
    return child.process.pid();
  }

  /** How many times the child was restarted. */
  public int restarts() {
    return restarts.get();
  }

  /** Waits until a child answers {@code /api/health}; false if none did within {@code timeout}. */
  public boolean awaitHealthy(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end && !closed) {
      if (healthy()) return true;
      pause(50);
    }
    return false;
  }

  private Child launch() {
    Child c = new Child(command());
    try {
      c.port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException | InterruptedException e) {
      c.process.destroyForcibly();
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      throw new IllegalStateException("the SQL endpoint's process did not start"
          + (c.process.isAlive() ? " within " + START_TIMEOUT.toSeconds() + " s" : " (exit "
          + exitOf(c.process) + ")") + ":\n" + String.join("\n", c.tail()), e);
    }
    port = c.port.join();
    if (!awaitHealthy(START_TIMEOUT)) {
      c.process.destroyForcibly();
      throw new IllegalStateException("the SQL endpoint's process does not answer " + url() + "/api/health:\n"
          + String.join("\n", c.tail()));
    }
    return c;
  }

  private List<String> command() {
    List<String> cmd = new ArrayList<>();
    if (resources.niceness() > 0) {
      for (String nice : List.of("/usr/bin/nice", "/bin/nice")) {
        if (Files.isExecutable(Path.of(nice))) {
          cmd.addAll(List.of(nice, "-n", Integer.toString(resources.niceness())));
          break;
        }
      }
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + resources.heap());
    // One GC thread and bounded metadata: less of the address space goes to the JVM itself.
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=256m", "-XX:ReservedCodeCacheSize=128m",
        "-XX:-UsePerfData", "-Djava.awt.headless=true"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), QueryServerChild.class.getName()));
    cmd.addAll(QueryServerChild.arguments(data, limits, new QueryServer.Settings(settings.bind(), port,
        settings.token()), resources.processMemoryBytes()));
    return cmd;
  }

  private void supervise() {
    long backoff = FIRST_BACKOFF_MS;
    while (!closed) {
      Child c = child;
      try {
        c.process.waitFor();
      } catch (InterruptedException e) {
        return;
      }
      if (closed) return;
      long lived = System.currentTimeMillis() - c.startedAt;
      backoff = lived > 60_000 ? FIRST_BACKOFF_MS : backoff;
      log.accept(String.format("query endpoint: its process (pid %d) exited with %d after %,d s%s; restarting in "
          + "%,d s on port %d", c.process.pid(), exitOf(c.process), lived / 1000, why(exitOf(c.process)),
          backoff / 1000, port));
      pause(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      while (!closed) {
        try {
          Child next = launch();
          if (closed) {
            next.process.destroyForcibly();
            return;
          }
          child = next;
          restarts.incrementAndGet();
          healthFailures = 0;
          log.accept("query endpoint: restarted as pid " + child.process.pid() + " at " + url());
          break;
        } catch (RuntimeException e) {
          log.accept("query endpoint: restart failed, trying again in " + backoff / 1000 + " s: " + e.getMessage());
          pause(backoff);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
      }
    }
  }

  private static String why(int exit) {
    if (exit == QueryServerChild.EXIT_RUNAWAY) return " (a query ignored its deadline)";
    if (exit == 137) return " (killed: SIGKILL, e.g. by the kernel for memory)";
    if (exit == 143) return " (SIGTERM)";
    return "";
  }

  private void checkHealth() {
    Child c = child;
    if (closed || c == null || !c.process.isAlive() || !c.port.isDone()) return;
    if (healthy()) {
      healthFailures = 0;
      return;
    }
    healthFailures++;
    if (healthFailures >= HEALTH_FAILURES) {
      log.accept("query endpoint: its process (pid " + c.process.pid() + ") did not answer /api/health "
          + healthFailures + " times in a row; ending it to restart it");
      healthFailures = 0;
      c.process.destroyForcibly();
    }
  }

  private boolean healthy() {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/health"))
          .timeout(HEALTH_EVERY).build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    health.shutdownNow();
    supervisor.interrupt();
    try {
      supervisor.join(TimeUnit.SECONDS.toMillis(10)); // a restart under way ends first, so no child is left behind
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Child c = child;
    if (c == null) return;
    c.closeStdin(); // the child ends itself on EOF ...
    try {
      if (!c.process.waitFor(5, TimeUnit.SECONDS)) {
        c.process.destroy(); // ... or on SIGTERM ...
        if (!c.process.waitFor(5, TimeUnit.SECONDS)) c.process.destroyForcibly(); // ... or not by itself
      }
    } catch (InterruptedException e) {
      c.process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int exitOf(Process p) {
    try {
      return p.exitValue();
    } catch (IllegalThreadStateException e) {
      return -1;
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One child JVM: its process, the port it reports, and the last lines it logged. */
  private final class Child {
    final Process process;
    final long startedAt = System.currentTimeMillis();
    final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final OutputStream stdin;

    Child(List<String> command) {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      // glibc would reserve 64 MB of address space per thread arena: two are plenty for the endpoint.
      pb.environment().put("MALLOC_ARENA_MAX", "2");
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the SQL endpoint's process: " + e.getMessage(), e);
      }
      stdin = process.getOutputStream();
      try {
        String token = settings.token() == null ? "" : settings.token();
        stdin.write((token + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush(); // and kept open: the child takes EOF for its parent's end
      } catch (IOException e) {
        // the child died at once; its output says why
      }
      Thread pump = new Thread(this::pump, "query-child-output-" + process.pid());
      pump.setDaemon(true);
      pump.start();
      process.onExit().thenRun(() -> port.completeExceptionally(new IllegalStateException("exited")));
    }

    private void pump() {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith(QueryServerChild.READY)) {
            port.complete(Integer.parseInt(line.substring(QueryServerChild.READY.length()).strip()));
            continue;
          }
          remember(line);
          log.accept(line);
        }
      } catch (IOException | NumberFormatException e) {
        // the child is gone; onExit reports it
      }
    }

    private synchronized void remember(String line) {
      tail.addLast(line);
      if (tail.size() > LOG_TAIL) tail.removeFirst();
    }

    synchronized List<String> tail() {
      return List.copyOf(tail);
    }

    void closeStdin() {
      try {
        stdin.close();
      } catch (IOException e) {
        // already closed by a dead child
      }
    }
  }
}
