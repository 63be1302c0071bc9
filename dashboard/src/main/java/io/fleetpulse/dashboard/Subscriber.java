package io.fleetpulse.dashboard;

import io.javalin.http.sse.SseClient;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connected browser: a bounded queue of events and at most one sender task writing them, in order. Publishing
 * only enqueues, so one slow or stuck browser never delays the others; one that falls a whole queue behind is
 * disconnected, and its EventSource reconnects and catches up from its Last-Event-ID or a fresh snapshot.
 */
final class Subscriber {

  private final SseClient client;
  private final BlockingQueue<SseMessage> queue;
  private final Executor senders;
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  Subscriber(SseClient client, int capacity, Executor senders) {
    this.client = client;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.senders = senders;
  }

  /** Queues an event; a subscriber whose queue is full is closed instead. */
  void offer(SseMessage message) {
    if (closed.get()) return;
    if (!queue.offer(message)) {
      close();
      return;
    }
    scheduleSend();
  }

  boolean closed() {
    return closed.get();
  }

  /** Ends the response; Javalin then calls the client's onClose, which removes it from the hub. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      queue.clear();
      client.close();
    }
  }

  private void scheduleSend() {
    if (!sending.compareAndSet(false, true)) return;
    try {
      senders.execute(this::send);
    } catch (RejectedExecutionException shuttingDown) {
      sending.set(false);
      close();
    }
  }

  private void send() {
    try {
      SseMessage m;
      while (!closed.get() && (m = queue.poll()) != null) {
        client.sendEvent(m.event(), m.data(), m.id());
        if (client.terminated()) { // the browser went away: the write failed and Javalin closed the client
          close();
        }
      }
    } finally {
      sending.set(false);
    }
    // An event queued after the loop saw an empty queue but before the flag was cleared still gets sent.
    if (!closed.get() && !queue.isEmpty()) scheduleSend();
  }
}
