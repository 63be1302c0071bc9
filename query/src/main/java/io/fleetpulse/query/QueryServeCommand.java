package io.fleetpulse.query;

import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

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

  static final Opt<java.nio.file.Path> TOKEN_FILE = Opt.path("token-file", "FILE")
      .defaultText("$" + TOKEN_ENV + " if set, else no token (loopback only)")
      .describe("File holding a bearer token every request must send (Authorization: Bearer TOKEN). Anything but "
          + "loopback --bind needs one.");

  static final Opt<Long> MAX_BYTES = Opt.longInt("max-bytes").defaultValue(QueryLimits.ENDPOINT_MAX_BYTES)
      .defaultText(QueryLimits.ENDPOINT_MAX_BYTES + " (64 MiB)")
      .describe("Refuse results larger than this many bytes once rendered (413).");

  static final Opt<Integer> MAX_CONCURRENT = Opt.integer("max-concurrent").defaultValue(QueryLimits.ENDPOINT_CONCURRENT)
      .describe("Queries run at once; others wait up to --timeout for a slot (then 503).");

  static final Opt<Boolean> PROCESS_MEMORY = Opt.bool("process-memory").defaultValue(true)
      .describe("Cap this process's address space (Linux, prlimit) at what it holds once started plus "
          + "--memory-limit and 1 GiB, so that what DuckDB builds outside its memory limit fails one query instead of "
          + "exhausting the machine; and let the kernel end this process first if memory runs out anyway.");

  static final List<Opt<?>> OPTIONS = Commands.options(QueryOptions.LAKE, List.of(SharedOptions.BIND,
      SharedOptions.SQL_PORT, TOKEN_FILE, MAX_BYTES, MAX_CONCURRENT, PROCESS_MEMORY));

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  static picocli.CommandLine commandLine() {
    return Commands.commandLine(new QueryServeCommand(), OPTIONS);
  }

  @Override
  public Integer call() throws Exception {
    Flags flags = Flags.of(spec, OPTIONS);
    QueryLimits limits = QueryOptions.limits(flags, flags.get(MAX_BYTES), flags.get(MAX_CONCURRENT));
    String token = token(flags.get(TOKEN_FILE));
    CountDownLatch stopped = new CountDownLatch(1);
    try (QueryServer server = QueryServer.start(QueryOptions.data(flags), limits,
        new QueryServer.Settings(flags.get(SharedOptions.BIND), flags.get(SharedOptions.SQL_PORT), token),
        System.err::println)) {
      var lakeSql = server.lake();
      lakeSql.onRunaway(what -> System.err.println("query serve: " + what + "; it keeps a query slot until it "
          + "ends (QueryServerProcess would restart the endpoint)"));
      if (flags.get(PROCESS_MEMORY)) capProcessMemory(limits);
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

  private static String token(Path tokenFile) throws IOException {
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
