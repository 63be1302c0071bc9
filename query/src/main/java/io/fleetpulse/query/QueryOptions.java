package io.fleetpulse.query;

import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.model.Durations;
import java.time.Duration;
import java.util.List;

/**
 * The limits of a query, the same for {@code fleetpulse query} and {@code fleetpulse query serve}: both default to
 * what a shared, always-on endpoint needs ({@link QueryLimits#endpoint()}); raise them for a large export.
 */
final class QueryOptions {

  private QueryOptions() {}

  static final Opt<Duration> TIMEOUT = Opt.duration("timeout").defaultValue(Durations.parse(QueryLimits.ENDPOINT_TIMEOUT))
      .describe("Stop a query running longer than this (e.g. 30s, 5m); the answer says the limit was hit.");

  static final Opt<Long> MAX_ROWS = Opt.longInt("max-rows").defaultValue(QueryLimits.ENDPOINT_MAX_ROWS)
      .describe("Refuse a result with more rows than this (raise it to export more).");

  static final Opt<String> MEMORY_LIMIT = Opt.string("memory-limit", "SIZE").defaultValue(QueryLimits.ENDPOINT_MEMORY)
      .describe("DuckDB memory limit for the queries (e.g. 512MB, 4GiB); nothing spills to disk.");

  static final Opt<Integer> THREADS = Opt.integer("threads").defaultValue(QueryLimits.ENDPOINT_THREADS)
      .describe("DuckDB worker threads.");

  /** The lake and its limits, as both commands list them. */
  static final List<Opt<?>> LAKE = List.of(SharedOptions.DATA, TIMEOUT, MAX_ROWS, MEMORY_LIMIT, THREADS);

  static QueryLimits limits(Flags flags, Long maxBytes, int maxConcurrent) {
    return new QueryLimits(flags.get(TIMEOUT), flags.get(MAX_ROWS), maxBytes, flags.get(MEMORY_LIMIT),
        flags.get(THREADS), maxConcurrent);
  }

  static java.nio.file.Path data(Flags flags) {
    return java.nio.file.Path.of(flags.get(SharedOptions.DATA));
  }
}
