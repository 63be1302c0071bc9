package io.fleetpulse.query;

import io.fleetpulse.model.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The endpoint in a JVM of its own, as {@link QueryServerProcess} starts it: {@code java -Xmx... -cp CLASSPATH
 * io.fleetpulse.query.QueryServerChild --data DIR --port P ...}. It reads the token (or an empty line) from the
 * first line of stdin, so it never shows in a process listing; caps its own memory ({@link ProcessMemoryCap});
 * prints {@value #READY} and its port on stdout once it serves; and ends by itself when its parent goes away
 * (stdin reaches EOF, or the parent's pid is gone) and when a query ignores the interrupt long after its
 * deadline ({@link LakeSql#onRunaway}: exit {@value #EXIT_RUNAWAY}, for the parent to restart it).
 */
public final class QueryServerChild {

  /** The line on stdout that says the endpoint serves; the port follows it. */
  public static final String READY = "fleetpulse-query-child listening on port ";
  /** Exit status after a runaway query: the engine holds a slot and CPU only a new process gets back. */
  public static final int EXIT_RUNAWAY = 75;
  /** Exit status when started wrongly. */
  public static final int EXIT_USAGE = 2;

  private static final long PARENT_POLL_MS = 1_000;

  private QueryServerChild() {}

  public static void main(String[] args) {
    PrintStream log = System.err;
    Map<String, String> options;
    try {
      options = options(args);
    } catch (IllegalArgumentException e) {
      log.println("query endpoint child: " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String token = readToken(stdin);
    ProcessMemoryCap.preferAsOomVictim(log::println);
    QueryServer server;
    try {
      server = QueryServer.start(Path.of(options.get("data")), limits(options), settings(options, token),
          log::println);
    } catch (RuntimeException e) {
      log.println("query endpoint child: cannot start: " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }
    server.lake().onRunaway(what -> {
      log.println("query endpoint child: " + what + "; ending this process so that it can be restarted");
      log.flush();
      Runtime.getRuntime().halt(EXIT_RUNAWAY);
    });
    long budget = Long.parseLong(options.getOrDefault("process-memory", "0"));
    if (budget > 0) {
      OptionalLong cap = ProcessMemoryCap.capAddressSpace(budget, log::println);
      cap.ifPresent(c -> log.printf("query endpoint child: address space capped at %,d MB (%,d MB reserved at "
          + "start + %,d MB)%n", c >> 20, (c - budget) >> 20, budget >> 20));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "query-child-stop"));
    System.out.println(READY + server.port());
    System.out.flush();
    watchParent(stdin, options.get("parent-pid"), log);
  }

  /** Blocks until the parent is gone, then ends the process (the shutdown hook closes the server). */
  private static void watchParent(BufferedReader stdin, String parentPid, PrintStream log) {
    if (parentPid != null) {
      watchPid(Long.parseLong(parentPid), log);
    }
    try {
      while (stdin.readLine() != null) {
        // the parent writes nothing after the token; EOF means it closed the pipe or died
      }
    } catch (IOException e) {
      // a broken pipe: the parent is gone as well
    }
    end(log, "its parent closed stdin");
  }

  private static void watchPid(long parentPid, PrintStream log) {
    // A parent that died before this JVM got here has no handle any more: that is gone, not unknown.
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    Thread poll = new Thread(() -> {
      while (parent.map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(PARENT_POLL_MS); // a poll interval, not synchronisation: the parent has no other signal
        } catch (InterruptedException e) {
          return;
        }
      }
      end(log, "its parent process is gone");
    }, "query-child-parent-poll");
    poll.setDaemon(true);
    poll.start();
  }

  private static void end(PrintStream log, String why) {
    log.println("query endpoint child: stopping: " + why);
    // A native call that ignores interrupts could hold the shutdown hook; a few seconds and then out regardless.
    Thread halt = new Thread(() -> {
      try {
        TimeUnit.SECONDS.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
      Runtime.getRuntime().halt(0);
    }, "query-child-halt");
    halt.setDaemon(true);
    halt.start();
    System.exit(0);
  }

  private static String readToken(BufferedReader stdin) {
    try {
      String line = stdin.readLine();
      return line == null || line.isBlank() ? null : line.strip();
    } catch (IOException e) {
      return null;
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    if (!options.containsKey("data")) throw new IllegalArgumentException("--data DIR is required");
    return options;
  }

  private static QueryLimits limits(Map<String, String> o) {
    return new QueryLimits(
        o.containsKey("timeout") ? Durations.parse(o.get("timeout")) : null,
        o.containsKey("max-rows") ? Long.valueOf(o.get("max-rows")) : null,
        o.containsKey("max-bytes") ? Long.valueOf(o.get("max-bytes")) : null,
        o.get("memory-limit"),
        o.containsKey("threads") ? Integer.valueOf(o.get("threads")) : null,
        Integer.parseInt(o.getOrDefault("max-concurrent", "1")));
  }

  private static QueryServer.Settings settings(Map<String, String> o, String token) {
    return new QueryServer.Settings(o.getOrDefault("bind", "127.0.0.1"), Integer.parseInt(o.getOrDefault("port",
        "0")), token);
  }

  /** The arguments that start a child with these limits and settings (the token goes to stdin, not here). */
  static List<String> arguments(Path data, QueryLimits limits, QueryServer.Settings settings,
      long processMemory) {
    List<String> a = new ArrayList<>(List.of("--data", data.toString(),
        "--bind", settings.bind(), "--port", Integer.toString(settings.port()),
        "--max-concurrent", Integer.toString(limits.maxConcurrent()),
        "--parent-pid", Long.toString(ProcessHandle.current().pid()),
        "--process-memory", Long.toString(processMemory)));
    if (limits.timeout() != null) a.addAll(List.of("--timeout", Durations.format(limits.timeout())));
    if (limits.maxRows() != null) a.addAll(List.of("--max-rows", limits.maxRows().toString()));
    if (limits.maxBytes() != null) a.addAll(List.of("--max-bytes", limits.maxBytes().toString()));
    if (limits.memoryLimit() != null) a.addAll(List.of("--memory-limit", limits.memoryLimit()));
    if (limits.threads() != null) a.addAll(List.of("--threads", limits.threads().toString()));
    return a;
  }
}
