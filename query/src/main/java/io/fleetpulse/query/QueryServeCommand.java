package io.fleetpulse.query;

import io.fleetpulse.model.cli.Converters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fleetpulse query serve}: the read-only SQL endpoint over HTTP, until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serves the lake under --data as a read-only SQL endpoint over HTTP, for notebooks and tools, until Ctrl-C:",
      "  GET /api/sql?q=SQL&format=json|csv|table (POST: the SQL as body), GET /api/reports[/NAME], "
          + "GET /api/tables, GET /api/health.",
      "Only single SELECTs over the lake's views run: no file outside the tables can be read, nothing written, no "
          + "extension installed, no database attached. Every query is bounded in time, rows, bytes and memory.",
      "Tables that appear while it runs (the demo, a running job) become views on the next request."
    })
public final class QueryServeCommand implements Callable<Integer> {

  static final String TOKEN_ENV = "FLEETPULSE_QUERY_TOKEN";

  @Mixin LakeOptions lake;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on. Anything but loopback needs a token. Default: ${DEFAULT-VALUE}.")
  String bind;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090",
      description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding a bearer token every request must send (Authorization: Bearer TOKEN). "
          + "Default: $" + TOKEN_ENV + " if set, else no token (loopback only).")
  Path tokenFile;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = QueryLimits.ENDPOINT_TIMEOUT,
      converter = Converters.DurationConverter.class,
      description = "Stop a query running longer than this. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--max-rows", paramLabel = "N", defaultValue = "100000",
      description = "Refuse results with more rows than this (413). Default: ${DEFAULT-VALUE}.")
  long maxRows;

  @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "67108864",
      description = "Refuse results larger than this many bytes once rendered (413). Default: ${DEFAULT-VALUE} "
          + "(64 MiB).")
  long maxBytes;

  @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = QueryLimits.ENDPOINT_MEMORY,
      description = "DuckDB memory limit for all queries together; nothing spills to disk. Default: "
          + "${DEFAULT-VALUE}.")
  String memoryLimit;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
      description = "DuckDB worker threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "2",
      description = "Queries run at once; others wait up to --timeout for a slot (then 503). Default: "
          + "${DEFAULT-VALUE}.")
  int maxConcurrent;

  @Option(names = "--process-memory", paramLabel = "true|false", defaultValue = "true", arity = "1",
      description = "Cap this process's address space (Linux, prlimit) at what it holds once started plus "
          + "--memory-limit and 1 GiB, so that what DuckDB builds outside its memory limit fails one query instead "
          + "of exhausting the machine; and let the kernel end this process first if memory runs out anyway. "
          + "Default: ${DEFAULT-VALUE}.")
  boolean processMemory;

  @Override
  public Integer call() throws Exception {
    QueryLimits limits = new QueryLimits(timeout, maxRows, maxBytes, memoryLimit, threads, maxConcurrent);
    String token = token();
    CountDownLatch stopped = new CountDownLatch(1);
    try (QueryServer server = QueryServer.start(lake.data(), limits,
        new QueryServer.Settings(bind, port, token), System.err::println)) {
      var lakeSql = server.lake();
      lakeSql.onRunaway(what -> System.err.println("query serve: " + what + "; it keeps a query slot until it "
          + "ends (QueryServerProcess would restart the endpoint)"));
      if (processMemory) capProcessMemory(limits);
      System.err.printf("query serve: %s over %s (tables: %s)%n", server.url(), lakeSql.root(),
          lakeSql.tables().isEmpty() ? "none yet; they appear as the job commits files" :
              String.join(", ", lakeSql.tables()));
      System.err.printf("query serve: try  curl '%s/api/reports/carbon-by-site?format=csv'%s%n", server.url(),
          token == null ? "" : " -H 'Authorization: Bearer ...'");
      System.err.println("query serve: notebooks: FLEETPULSE_SQL_URL=" + server.url() + " jupyter notebook notebooks/");
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "query-serve-stop"));
      stopped.await();
    }
    return 0;
  }

  private static void capProcessMemory(QueryLimits limits) {
    ProcessMemoryCap.preferAsOomVictim(System.err::println);
    long budget = limits.memoryLimitBytes().orElse(QueryServerProcess.DEFAULT_DUCKDB_BYTES)
        + QueryServerProcess.HEADROOM_BYTES;
    ProcessMemoryCap.capAddressSpace(budget, System.err::println).ifPresent(cap -> System.err.printf(
        "query serve: address space capped at %,d MB%n", cap >> 20));
  }

  private String token() throws IOException {
    if (tokenFile != null) {
      try {
        String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        if (t.isEmpty()) throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
        return t;
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("--token-file " + tokenFile + ": no such file");
      }
    }
    String env = System.getenv(TOKEN_ENV);
    return env == null || env.isBlank() ? null : env.strip();
  }
}
