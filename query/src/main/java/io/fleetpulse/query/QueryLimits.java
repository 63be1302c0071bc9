package io.fleetpulse.query;

import io.fleetpulse.model.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one query may cost. Null means no limit of that kind (DuckDB's default for memory and threads).
 *
 * @param timeout wall time of a query, fetching its rows included; it is interrupted after that
 * @param maxRows rows a result may have
 * @param maxBytes bytes a rendered result may have (endpoint only: the CLI streams to its output)
 * @param memoryLimit DuckDB memory_limit, e.g. 2GB; beyond it a query fails (nothing spills to disk)
 * @param threads DuckDB worker threads
 * @param maxConcurrent queries run at once; others wait up to the timeout for a slot
 */
public record QueryLimits(Duration timeout, Long maxRows, Long maxBytes, String memoryLimit, Integer threads,
    int maxConcurrent) {

  private static final Pattern MEMORY = Pattern.compile("(?i)\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)");
  private static final Pattern MEMORY_PARTS = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([KMGT]?I?B)");

  public static final String ENDPOINT_TIMEOUT = "30s";
  public static final long ENDPOINT_MAX_ROWS = 100_000;
  public static final long ENDPOINT_MAX_BYTES = 64L << 20;
  public static final String ENDPOINT_MEMORY = "2GB";
  public static final int ENDPOINT_THREADS = 2;
  public static final int ENDPOINT_CONCURRENT = 2;

  public QueryLimits {
    if (timeout != null && timeout.toMillis() < 1) {
      throw new IllegalArgumentException("--timeout must be at least 1ms, got " + Durations.format(timeout));
    }
    if (maxRows != null && maxRows < 1) throw new IllegalArgumentException("--max-rows must be >= 1, got " + maxRows);
    if (maxBytes != null && maxBytes < 1) throw new IllegalArgumentException("--max-bytes must be >= 1, got " + maxBytes);
    if (memoryLimit != null && !MEMORY.matcher(memoryLimit.trim()).matches()) {
      throw new IllegalArgumentException("--memory-limit takes a size such as 512MB, 2GB or 4GiB, got '"
          + memoryLimit + "'");
    }
    if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("--max-concurrent must be >= 1, got " + maxConcurrent);
    }
  }

  /** The memory limit in bytes, as DuckDB reads it (KB, MB, GB, TB powers of 1000; KiB, MiB, ... of 1024). */
  public OptionalLong memoryLimitBytes() {
    if (memoryLimit == null) return OptionalLong.empty();
    Matcher m = MEMORY_PARTS.matcher(memoryLimit.trim());
    if (!m.matches()) return OptionalLong.empty();
    String unit = m.group(2).toUpperCase(Locale.ROOT);
    int power = "BKMGT".indexOf(unit.charAt(0));
    double base = unit.contains("I") ? 1024 : 1000;
    return OptionalLong.of((long) (Double.parseDouble(m.group(1)) * Math.pow(base, power)));
  }

  /** The endpoint's defaults: what a shared, always-on service needs. */
  public static QueryLimits endpoint() {
    return new QueryLimits(Durations.parse(ENDPOINT_TIMEOUT), ENDPOINT_MAX_ROWS, ENDPOINT_MAX_BYTES,
        ENDPOINT_MEMORY, ENDPOINT_THREADS, ENDPOINT_CONCURRENT);
  }

  public QueryLimits withTimeout(Duration t) {
    return new QueryLimits(t, maxRows, maxBytes, memoryLimit, threads, maxConcurrent);
  }

  public QueryLimits withMaxRows(Long rows) {
    return new QueryLimits(timeout, rows, maxBytes, memoryLimit, threads, maxConcurrent);
  }

  public QueryLimits withMaxBytes(Long bytes) {
    return new QueryLimits(timeout, maxRows, bytes, memoryLimit, threads, maxConcurrent);
  }

  public QueryLimits withMemoryLimit(String memory) {
    return new QueryLimits(timeout, maxRows, maxBytes, memory, threads, maxConcurrent);
  }

  public QueryLimits withThreads(Integer n) {
    return new QueryLimits(timeout, maxRows, maxBytes, memoryLimit, n, maxConcurrent);
  }

  public QueryLimits withMaxConcurrent(int n) {
    return new QueryLimits(timeout, maxRows, maxBytes, memoryLimit, threads, n);
  }
}
