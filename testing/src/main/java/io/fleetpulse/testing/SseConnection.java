package io.fleetpulse.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A Server-Sent Events client over the JDK's HttpClient: parses the stream into events (type, id, data) as the
 * EventSource specification does, and hands each to a callback with the time it was received. Used by the load
 * benchmark and the tests; one connection per instance, no reconnecting of its own.
 */
public final class SseConnection implements AutoCloseable {

  /** One dispatched event; receivedNanos is System.nanoTime() when its closing blank line arrived. */
  public record Event(String type, String id, String data, long receivedNanos) {}

  private final CompletableFuture<HttpResponse<Void>> response;
  private final LineParser parser;

  private SseConnection(HttpClient http, URI uri, String lastEventId, Consumer<Event> onEvent) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
    this.parser = new LineParser(onEvent);
    this.response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(parser));
  }

  /** Opens the stream; events arrive on the client's executor threads. */
  public static SseConnection open(HttpClient http, URI uri, String lastEventId, Consumer<Event> onEvent) {
    return new SseConnection(http, uri, lastEventId, onEvent);
  }

  /** Completes with the response once the headers arrived; fails if the request did. */
  public CompletableFuture<HttpResponse<Void>> response() {
    return response;
  }

  /** Completes when the server ends the stream (or it broke). */
  public CompletableFuture<Void> ended() {
    return parser.ended;
  }

  /** Drops the connection. */
  @Override
  public void close() {
    parser.cancel();
    response.cancel(true);
  }

  private static final class LineParser implements Flow.Subscriber<String> {
    private final Consumer<Event> onEvent;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private String type;
    private String id;
    private StringBuilder data;

    LineParser(Consumer<Event> onEvent) {
      this.onEvent = onEvent;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) s.cancel();
      else s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        dispatch();
        return;
      }
      if (line.startsWith(":")) return; // a comment
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      switch (field) {
        case "event" -> type = value;
        case "id" -> id = value;
        case "data" -> {
          if (data == null) data = new StringBuilder(value);
          else data.append('\n').append(value);
        }
        default -> { } // retry and unknown fields do not matter here
      }
    }

    private void dispatch() {
      if (data != null) {
        onEvent.accept(new Event(type == null ? "message" : type, id, data.toString(), System.nanoTime()));
      }
      type = null;
      data = null;
      // Per the specification the id persists until changed; each event here carries its own or none.
      id = null;
    }

    @Override
    public void onError(Throwable t) {
      ended.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      ended.complete(null);
    }

    void cancel() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) s.cancel();
    }
  }
}
