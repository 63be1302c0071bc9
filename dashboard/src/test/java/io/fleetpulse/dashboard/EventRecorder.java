package io.fleetpulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.testing.SseConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An SSE connection to a dashboard whose events the test takes one by one, in order, waiting for each. */
final class EventRecorder implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final ObjectMapper JSON = new ObjectMapper();

  /** A window found in an event: either a window event or one of the windows of a snapshot. */
  record Found(SseConnection.Event event, JsonNode node) {}

  private final BlockingQueue<SseConnection.Event> events = new LinkedBlockingQueue<>();
  private final SseConnection connection;

  EventRecorder(HttpClient http, URI dashboard, String lastEventId) {
    connection = SseConnection.open(http, dashboard.resolve("/events"), lastEventId, events::add);
  }

  /** The next event, whatever it is (status events included). */
  SseConnection.Event next() throws InterruptedException {
    SseConnection.Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) throw new AssertionError("no event from the dashboard within " + WAIT.toSeconds() + " s");
    return e;
  }

  /** The next event that is not a status heartbeat. */
  SseConnection.Event nextData() throws InterruptedException {
    SseConnection.Event e;
    do {
      e = next();
    } while (e.type().equals("status"));
    return e;
  }

  /**
   * Skips events until a window matches, in a window event or in a snapshot: whether a record arrives before or
   * after this browser connected is a race the test does not control, and either way the browser must see it.
   */
  Found awaitWindow(Predicate<JsonNode> window) throws InterruptedException {
    return await("window", "windows", window);
  }

  Found awaitAlert(Predicate<JsonNode> alert) throws InterruptedException {
    return await("alert", "alerts", alert);
  }

  /** Skips events until a status matches. */
  JsonNode awaitStatus(Predicate<JsonNode> status) throws InterruptedException {
    return await("status", null, status).node();
  }

  private Found await(String type, String inSnapshot, Predicate<JsonNode> match) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      SseConnection.Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (e == null) break;
      JsonNode data = parse(e.data());
      if (e.type().equals(type) && match.test(data)) return new Found(e, data);
      if (inSnapshot != null && e.type().equals("snapshot")) {
        for (JsonNode n : data.get(inSnapshot)) {
          if (match.test(n)) return new Found(e, n);
        }
      }
    }
    throw new AssertionError("no matching " + type + " from the dashboard within " + WAIT.toSeconds() + " s");
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }

  /** A predicate on a window's start. */
  static Predicate<JsonNode> starting(long windowStart) {
    return w -> w.get("windowStart").asLong() == windowStart;
  }

  @Override
  public void close() {
    connection.close();
  }
}
