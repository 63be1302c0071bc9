package io.fleetpulse.generator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The generator's rate and lag for Prometheus: {@code GET /metrics} in the text exposition format (version 0.0.4),
 * served by the JDK's own HTTP server (the generator has no Flink, so no Flink reporter). Every sample carries the
 * shard it describes; nothing is per chip. What it reports is read from the {@link FleetGenerator} it watches at each
 * scrape: the generator's loop only writes a few volatile fields now and then (docs/monitoring.md lists the metrics).
 */
public final class GeneratorMetrics implements AutoCloseable {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final String shard;
  private final String runId;
  private volatile FleetGenerator generator;

  private GeneratorMetrics(HttpServer server, String shard, String runId) {
    this.server = server;
    this.shard = shard;
    this.runId = runId;
  }

  /**
   * Serves /metrics on {@code bind}:{@code port} (0: any free port) for the shard {@code shard} of run {@code runId};
   * fails, naming the address, when it cannot listen there.
   */
  public static GeneratorMetrics start(String bind, int port, String shard, String runId) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("--generator-metrics-port: cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
    }
    return serve(server, shard, runId);
  }

  /**
   * As {@link #start}, on {@code preferred} if it is free, else on any free port. One bind, then another: shards
   * started together on one machine cannot both find the port free and then both try it.
   */
  public static GeneratorMetrics startOnPreferredOrFree(String bind, int preferred, String shard, String runId) {
    try {
      return serve(HttpServer.create(new InetSocketAddress(bind, preferred), 16), shard, runId);
    } catch (BindException taken) {
      return start(bind, 0, shard, runId);
    } catch (IOException e) {
      throw new UncheckedIOException("--generator-metrics-port: cannot listen on " + bind + ":" + preferred + ": "
          + e.getMessage(), e);
    }
  }

  private static GeneratorMetrics serve(HttpServer server, String shard, String runId) {
    GeneratorMetrics metrics = new GeneratorMetrics(server, shard, runId);
    server.createContext("/", metrics::handle);
    server.start();
    return metrics;
  }

  /** From now on, reports this generator's progress. */
  public void watch(FleetGenerator g) {
    this.generator = g;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + port() + "/metrics";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        reply(exchange, 404, "text/plain; charset=utf-8", "not found: the metrics are at /metrics\n");
      } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        reply(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
      } else {
        reply(exchange, 200, CONTENT_TYPE, render());
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The exposition: every family with its HELP and TYPE, one sample each, labelled with the shard. */
  public String render() {
    FleetGenerator g = generator;
    StringBuilder out = new StringBuilder(2048);
    String labels = "{shard=\"" + escape(shard) + "\"}";
    family(out, "fleetpulse_generator_info", "gauge", "Always 1: the run (its id names the fleet config, start and "
        + "shard) this process generates.");
    out.append("fleetpulse_generator_info{shard=\"").append(escape(shard)).append("\",run_id=\"").append(escape(runId))
        .append("\"} 1\n");
    if (g == null) return out.toString();
    sample(out, "fleetpulse_generator_samples_total", "counter", "Samples this process has handed to the Kafka "
        + "producer since it started; rate() of it is the generator's rate.", labels, g.samplesSent());
    sample(out, "fleetpulse_generator_ticks_total", "counter", "Sample intervals (ticks) whose every sample this "
        + "process has sent, each followed by a progress marker.", labels, g.ticksSent());
    long until = g.completeUntilMs();
    if (until >= 0) {
      sample(out, "fleetpulse_generator_event_time_seconds", "gauge", "Simulated (event) time up to which this shard "
          + "has sent every sample, Unix seconds: what its last progress marker promised.", labels, until / 1000.0);
    }
    sample(out, "fleetpulse_generator_behind_schedule_seconds", "gauge", "How late the last paced sample left "
        + "against its wall-clock schedule: 0 while the generator keeps pace (and at --speedup max); growing when it "
        + "cannot produce or Kafka cannot take the samples as fast as the plan asks.", labels,
        g.behindSchedule().toNanos() / 1e9);
    RunPlan plan = g.plan();
    if (!plan.speedup().unpaced()) {
      sample(out, "fleetpulse_generator_scheduled_samples_per_second", "gauge", "The rate the plan asks for: chips "
          + "of the shard / sample interval x speedup (chips in maintenance send nothing, so the real rate is a little "
          + "lower).", labels, g.shardChips() * plan.speedup().factor() * 1000.0 / g.model().intervalMs());
    }
    sample(out, "fleetpulse_generator_shard_chips", "gauge", "Chips this process generates (its shard of the "
        + "fleet).", labels, g.shardChips());
    sample(out, "fleetpulse_generator_running", "gauge", "1 while the generator runs, 0 once its run has ended.",
        labels, g.finished() ? 0 : 1);
    return out.toString();
  }

  private static void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
        .append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String type, String help, String labels, double value) {
    family(out, name, type, help);
    out.append(name).append(labels).append(' ').append(format(value)).append('\n');
  }

  static String format(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }

  static String escape(String labelValue) {
    return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
