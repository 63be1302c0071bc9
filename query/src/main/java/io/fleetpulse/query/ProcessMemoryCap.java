package io.fleetpulse.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Caps the memory of the process the endpoint runs in, for what DuckDB's memory_limit does not cover (strings,
 * lists and constants it builds while evaluating or planning, outside its buffer manager), Linux only:
 * <ul>
 *   <li>its address space ({@code RLIMIT_AS}, through util-linux {@code prlimit} on its own pid) to what it has
 *       reserved once started plus a budget: past it every allocation fails, which DuckDB turns into an
 *       "Out of Memory Error ... (bad allocation)" for the one query (measured: {@code repeat('x', 3000000000)}
 *       under a 3 GB cap fails in 2 ms and the next query runs), where without the cap it took 5.8 GB;</li>
 *   <li>{@code oom_score_adj} to 1000, so that if the machine runs out of memory anyway the kernel ends this
 *       process, not the pipeline next to it.</li>
 * </ul>
 * Only a process of its own may do this ({@link QueryServerChild}): the cap holds for every thread of the JVM.
 */
final class ProcessMemoryCap {

  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path OOM_SCORE_ADJ = Path.of("/proc/self/oom_score_adj");

  private ProcessMemoryCap() {}

  /** Makes this process the kernel's first choice when memory runs out; false where that cannot be done. */
  static boolean preferAsOomVictim(Consumer<String> log) {
    try {
      Files.writeString(OOM_SCORE_ADJ, "1000");
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      log.accept("query endpoint: cannot raise oom_score_adj (" + e.getMessage() + "); the kernel's choice stays "
          + "its own");
      return false;
    }
  }

  /**
   * Caps the address space at what the process has reserved now plus {@code budgetBytes}; returns the cap, or
   * empty (logged) where it cannot be set.
   */
  static OptionalLong capAddressSpace(long budgetBytes, Consumer<String> log) {
    OptionalLong reserved = reservedBytes();
    if (reserved.isEmpty()) {
      log.accept("query endpoint: no /proc/self/status here; the process's memory is not capped (DuckDB's "
          + "memory_limit and the JVM heap still are)");
      return OptionalLong.empty();
    }
    long cap = reserved.getAsLong() + budgetBytes;
    long pid = ProcessHandle.current().pid();
    List<String> command = List.of("prlimit", "--pid", Long.toString(pid), "--as=" + cap + ":" + cap);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        log.accept("query endpoint: prlimit failed (" + output + "); the process's memory is not capped");
        return OptionalLong.empty();
      }
      return OptionalLong.of(cap);
    } catch (IOException e) {
      log.accept("query endpoint: no prlimit (util-linux) to cap the process's memory (" + e.getMessage() + ")");
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  /** VmSize: the address space the process holds now (the JVM reserves its whole heap up front). */
  static OptionalLong reservedBytes() {
    return statusKb("VmSize:");
  }

  /** VmHWM: the most memory the process has held resident. */
  static OptionalLong peakResidentBytes() {
    return statusKb("VmHWM:");
  }

  private static OptionalLong statusKb(String key) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(key)) {
          return OptionalLong.of(Long.parseLong(line.substring(key.length()).replace("kB", "").strip()) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or not readable
    }
    return OptionalLong.empty();
  }
}
