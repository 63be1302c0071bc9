package io.fleetpulse.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.BindException;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live dashboard: a Javalin server that reads FleetPulse's metrics and alert topics and pushes each window
 * to browsers with Server-Sent Events.
 *
 * <pre>{@code
 * try (DashboardServer dashboard = DashboardServer.start(DashboardSettings.defaults(bootstrap).withListener("127.0.0.1", 0))) {
 *   System.out.println("dashboard at " + dashboard.url());
 *   ...
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code /} the page; {@code /events} the event stream (snapshot, window, alert, tenants, status);
 * {@code /api/snapshot}, {@code /api/tenants} and {@code /api/status} the same data as plain JSON, for scripts and
 * checks.
 */
public final class DashboardServer implements AutoCloseable {

  /** Threads writing to browsers; a write only blocks on a browser that stopped reading (until Jetty's timeout). */
  static final int SENDER_THREADS = 16;
  /** Alerts kept and sent to a new browser. */
  static final int ALERTS_KEPT = 200;

  // The page builds every element from data with textContent, and this policy forbids inline script and style
  // anyway, so markup arriving in a Kafka string can neither render nor run.
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final DashboardSettings settings;
  private final ExecutorService senders;
  private final ScheduledExecutorService heartbeat;
  private final EventHub hub;
  private final StreamStatus status = new StreamStatus();
  private final LatencyTracker latency = new LatencyTracker();
  private final KafkaFeed feed;
  private final Javalin app;
  private final URI url;

  private DashboardServer(DashboardSettings settings) {
    this.settings = settings;
    WebAssets assets = new WebAssets();
    this.senders = Executors.newFixedThreadPool(SENDER_THREADS, daemonThreads("dashboard-sse"));
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemonThreads("dashboard-heartbeat"));
    this.hub = new EventHub(settings.windows(), ALERTS_KEPT, senders);
    this.feed = new KafkaFeed(settings, new FleetBoard(settings.windows(), ALERTS_KEPT, settings.fleet(), status), hub,
        status, latency);
    try {
      this.app = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.routes.before(DashboardServer::securityHeaders);
        assets.byPath().forEach((path, asset) -> config.routes.get(path, ctx -> serve(ctx, asset)));
        config.routes.get("/api/status", ctx -> ctx.contentType("application/json").result(statusJson()));
        config.routes.get("/api/snapshot", ctx -> ctx.contentType("application/json").result(hub.snapshotJson()));
        config.routes.get("/api/tenants", ctx -> ctx.contentType("application/json").result(hub.tenantsJson()));
        config.routes.sse("/events", client -> {
          client.keepAlive();
          String lastId = client.ctx().header("Last-Event-ID");
          // A page that had to open a new EventSource (after the old one gave up) passes its last id this way.
          if (lastId == null) lastId = client.ctx().queryParam("lastEventId");
          hub.subscribe(client, lastId);
        });
      });
      startListening(app, settings);
    } catch (RuntimeException e) {
      shutDownQuietly();
      throw e;
    }
    String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
    this.url = URI.create("http://" + host + ":" + app.port() + "/");
    feed.start();
    long beat = settings.heartbeatInterval().toMillis();
    heartbeat.scheduleAtFixedRate(this::beat, 0, beat, TimeUnit.MILLISECONDS);
  }

  /** Starts listening and reading Kafka; returns once the page is served. Bad settings fail here. */
  public static DashboardServer start(DashboardSettings settings) {
    return new DashboardServer(settings);
  }

  /** Where the page is, e.g. {@code http://127.0.0.1:8088/}. */
  public URI url() {
    return url;
  }

  public int port() {
    return app.port();
  }

  public DashboardSettings settings() {
    return settings;
  }

  /** Browsers connected right now. */
  public int browsers() {
    return hub.browsers();
  }

  /** Window and alert records read from Kafka so far, shown or not. */
  public long recordsRead() {
    return status.records();
  }

  /** Records read but not shown: unreadable, impossible, far from the stream's event time, or repeated. */
  public long recordsSkipped() {
    return status.skippedCount();
  }

  /** Records skipped per reason, by the reason's key in /api/status (not_avro, ahead, duplicate, ...). */
  public java.util.Map<String, Long> recordsSkippedByReason() {
    return status.skippedByReason();
  }

  private void beat() {
    try {
      hub.publishStatus(statusView());
    } catch (RuntimeException e) {
      // A failed beat must not cancel the schedule; the next one tries again.
      org.slf4j.LoggerFactory.getLogger(DashboardServer.class).warn("heartbeat failed", e);
    }
  }

  private Views.StatusView statusView() {
    return status.view(hub.browsers(), settings.staleAfter().toMillis(),
        latency.view(System.currentTimeMillis(), status.latestWindowEnd()));
  }

  private String statusJson() {
    return Json.write(statusView());
  }

  private static void startListening(Javalin app, DashboardSettings s) {
    try {
      app.start(s.bind(), s.port());
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException) {
          throw new IllegalArgumentException("cannot listen on " + s.bind() + ":" + s.port() + " (" + t.getMessage()
              + "): pass --dashboard-port with a free port (0 picks one) or a --bind address of this machine", e);
        }
      }
      throw e;
    }
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
  }

  private static void serve(Context ctx, WebAssets.Asset asset) {
    ctx.header("Cache-Control", asset.immutable() ? "public, max-age=86400" : "no-cache");
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private void shutDownQuietly() {
    heartbeat.shutdownNow();
    feed.close();
    hub.close();
    senders.shutdownNow();
  }

  /** Stops reading Kafka, ends every browser's stream and stops listening. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    feed.close();
    hub.close();
    app.stop();
    senders.shutdownNow();
  }
}
