package io.fleetpulse.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The read-only SQL endpoint over HTTP (Javalin on Jetty), for notebooks and tools:
 * <pre>
 * GET  /api/sql?q=SQL[&amp;format=json|csv|table]     one read-only query (POST: the SQL as the body, or form field q)
 * GET  /api/reports                                 the canned reports
 * GET  /api/reports/NAME[?format=...]               one report's result
 * GET  /api/tables                                  the views and their columns
 * GET  /api/health                                  {"status":"ok"} (no token needed)
 * </pre>
 * Results are JSON (an array of row objects), CSV or an aligned table; errors are JSON
 * {@code {"error": "...", "kind": "..."}} with a status saying why (400 SQL, 403 refused, 413 too large,
 * 503 timeout or busy or no data yet, 401 token). Everything runs through {@link LakeSql}, so the guard and the
 * limits hold for every route. Start with {@link #start}, stop with {@link #close}.
 */
public final class QueryServer implements AutoCloseable {

  /** Where to listen and who may ask. Port 0 picks a free port. */
  public record Settings(String bind, int port, String token) {
    public static Settings loopback(int port) {
      return new Settings("127.0.0.1", port, null);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final long MAX_REQUEST_BYTES = 1 << 20;

  private final LakeSql sql;
  private final boolean ownsSql;
  private final EndpointAccess access;
  private final Consumer<String> log;
  private final Javalin app;
  private final String bind;

  private QueryServer(LakeSql sql, boolean ownsSql, Settings settings, Consumer<String> log) {
    this.sql = sql;
    this.ownsSql = ownsSql;
    this.access = new EndpointAccess(settings.token(), settings.bind());
    this.log = log;
    this.bind = settings.bind();
    this.app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
      cfg.routes.before(this::checkAccess);
      cfg.routes.get("/", this::index);
      cfg.routes.get("/api/health", ctx -> json(ctx, 200, Map.of("status", "ok")));
      cfg.routes.get("/api/tables", this::tables);
      cfg.routes.get("/api/reports", this::reportList);
      cfg.routes.get("/api/reports/{name}", this::report);
      cfg.routes.get("/api/sql", this::sql);
      cfg.routes.post("/api/sql", this::sql);
      cfg.routes.exception(QueryException.class, (e, ctx) -> error(ctx, e.kind().httpStatus(), e.kind().label(),
          e.getMessage()));
      cfg.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, "bad-request",
          e.getMessage()));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        log.accept("query endpoint: internal error on " + ctx.path() + ": " + e);
        error(ctx, 500, "internal", "internal error: " + e.getMessage());
      });
    });
  }

  /** Opens the lake under {@code data} with {@code limits} and serves it; {@link #close} closes both. */
  public static QueryServer start(java.nio.file.Path data, QueryLimits limits, Settings settings,
      Consumer<String> log) {
    LakeSql lake = LakeSql.open(data, limits);
    try {
      return new QueryServer(lake, true, settings, log).listen(settings);
    } catch (RuntimeException e) {
      lake.close();
      throw e;
    }
  }

  /** Serves an open lake; the caller keeps owning it (it outlives the server). */
  public static QueryServer start(LakeSql lake, Settings settings, Consumer<String> log) {
    return new QueryServer(lake, false, settings, log).listen(settings);
  }

  private QueryServer listen(Settings settings) {
    try {
      app.start(settings.bind(), settings.port());
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalArgumentException("cannot listen on " + settings.bind() + ":" + settings.port() + " ("
          + rootCause(e) + "): pick another --sql-port, or 0 for any free one", e);
    }
    return this;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  public int port() {
    return app.port();
  }

  /** The base URL, e.g. http://127.0.0.1:8090 (a wildcard bind is shown as 127.0.0.1). */
  public String url() {
    String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
    return "http://" + host + ":" + port();
  }

  public LakeSql lake() {
    return sql;
  }

  private void checkAccess(Context ctx) {
    if (ctx.path().equals("/api/health")) return;
    String hostRefusal = access.hostRefusal(ctx.header("Host"));
    if (hostRefusal != null) {
      error(ctx, 403, "forbidden-host", hostRefusal);
      ctx.skipRemainingHandlers();
      return;
    }
    if (!access.authorized(ctx.header("Authorization"))) {
      ctx.header("WWW-Authenticate", "Bearer");
      error(ctx, 401, "unauthorized", "a token is required: send 'Authorization: Bearer TOKEN' (the notebooks "
          + "read it from $FLEETPULSE_QUERY_TOKEN)");
      ctx.skipRemainingHandlers();
    }
  }

  private void index(Context ctx) {
    ctx.contentType("text/plain; charset=utf-8").result(String.join("\n",
        "FleetPulse SQL endpoint (read-only) over " + sql.root(),
        "  GET  /api/sql?q=SQL&format=json|csv|table   one read-only query; POST takes the SQL as the body",
        "  GET  /api/reports                           canned reports; /api/reports/NAME?format=... runs one",
        "  GET  /api/tables                            views and their columns",
        "  GET  /api/health",
        access.tokenRequired() ? "Send 'Authorization: Bearer TOKEN'." : "", ""));
  }

  private void tables(Context ctx) {
    Map<String, Object> out = new LinkedHashMap<>();
    sql.schema().forEach((view, columns) -> out.put(view, columns.stream()
        .map(c -> Map.of("name", c.name(), "type", c.type())).toList()));
    json(ctx, 200, out);
  }

  private void reportList(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Report r : Reports.all()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("title", r.title());
      m.put("needs", r.needs());
      m.put("description", r.description());
      m.put("sql", r.sql());
      out.add(m);
    }
    json(ctx, 200, out);
  }

  private void report(Context ctx) {
    String name = ctx.pathParam("name");
    answer(ctx, "report " + name, sink -> sql.report(name, sink));
  }

  private void sql(Context ctx) {
    String q = ctx.queryParam("q");
    if (q == null && ctx.method().equals(io.javalin.http.HandlerType.POST)) {
      // curl --data sends raw SQL labelled as a form: take field q when there is one, else the body as is.
      String type = String.valueOf(ctx.contentType());
      if (type.startsWith("application/x-www-form-urlencoded")) q = ctx.formParam("q");
      if (q == null) q = ctx.body();
    }
    if (q == null) throw new QueryException(QueryException.Kind.REFUSED, "no SQL given: pass ?q=SQL (GET) or the "
        + "SQL as the request body (POST)");
    String query = q;
    answer(ctx, query, sink -> sql.query(query, sink));
  }

  private void answer(Context ctx, String what, Function<ResultSink, LakeSql.Stats> run) {
    String f = ctx.queryParam("format");
    ResultFormat format = f == null ? ResultFormat.JSON : ResultFormat.parse(f);
    BoundedBuffer body = new BoundedBuffer(sql.limits().maxBytes());
    Writer writer = new OutputStreamWriter(body, StandardCharsets.UTF_8);
    LakeSql.Stats stats;
    try {
      stats = run.apply(format.writer(writer));
    } catch (QueryException e) {
      log.accept("query endpoint: " + e.kind().httpStatus() + " " + e.kind().label() + ": " + oneLine(what) + ": "
          + e.getMessage());
      throw e;
    }
    log.accept(String.format("query endpoint: 200 %,d rows, %,d bytes, %d ms: %s", stats.rows(), body.size(),
        stats.elapsedMs(), oneLine(what)));
    ctx.status(200)
        .contentType(format.contentType())
        .header("X-FleetPulse-Rows", Long.toString(stats.rows()))
        .header("X-FleetPulse-Elapsed-Ms", Long.toString(stats.elapsedMs()))
        .result(body.toByteArray());
  }

  private static String oneLine(String sql) {
    String s = sql.replaceAll("\\s+", " ").strip();
    return s.length() > 160 ? s.substring(0, 157) + "..." : s;
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void error(Context ctx, int status, String kind, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("kind", kind);
    json(ctx, status, body);
  }

  @Override
  public void close() {
    app.stop();
    if (ownsSql) sql.close();
  }
}
