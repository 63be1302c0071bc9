package io.fleetpulse.dashboard;

import io.javalin.http.sse.SseClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Fans window, alert, tenant and status events out to every connected browser, and keeps what a browser needs
 * when it connects: the latest view of each kept window, recent alerts and the tenant view (sent at once as a
 * snapshot), and the last
 * events with their ids, so a browser that reconnects with a Last-Event-ID gets only what it missed.
 *
 * <p>Event ids are {@code <instance>:<sequence>}; the instance changes with every server start, so an id from an
 * earlier run is never mistaken for one of this run.
 */
final class EventHub implements AutoCloseable {

  /** Events kept for replay; a browser further behind than this gets a snapshot instead. */
  static final int REPLAY_EVENTS = 2048;
  /** The tenant view before the first tenant record. */
  private static final Views.TenantView NO_TENANTS = new Views.TenantView(null, null, 0, null, null, null, null,
      null, null, null, List.of(), List.of(), List.of(), null, 0, null, null, null);

  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final int windowsKept;
  private final int alertsKept;
  private final int queueCapacity;
  private final Executor senders;

  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<Numbered> replay = new ArrayDeque<>();
  private final TreeMap<Long, Views.WindowView> windows = new TreeMap<>();
  /** Insertion-ordered by update: the eldest is the alert updated longest ago. */
  private final LinkedHashMap<String, Views.AlertView> alerts = new LinkedHashMap<>();
  private Views.StatusView status;
  private Views.TenantView tenants;
  private long sequence;
  private long snapshotSequence = -1;
  private String snapshotJson;
  private boolean closed;

  private record Numbered(long sequence, SseMessage message) {}

  EventHub(int windowsKept, int alertsKept, Executor senders) {
    this.windowsKept = windowsKept;
    this.alertsKept = alertsKept;
    // Room for a full publish of every kept window plus alerts, so a healthy browser never overflows.
    this.queueCapacity = 1024 + windowsKept + alertsKept;
    this.senders = senders;
  }

  String instance() {
    return instance;
  }

  int browsers() {
    return subscribers.size();
  }

  /**
   * Publishes changed windows and alerts, each as one event with the next id. When the board dropped windows
   * (it moved in event time, away from records that were ahead of the stream), browsers must forget them too:
   * then everything goes out as one snapshot event instead, which replaces what a browser has.
   */
  synchronized void publish(List<Views.WindowView> changedWindows, List<Views.AlertView> changedAlerts,
      List<Long> removedWindows) {
    publish(changedWindows, changedAlerts, removedWindows, null);
  }

  /** The same, and the tenant view when it changed (null when not): one {@code tenants} event, the whole view. */
  synchronized void publish(List<Views.WindowView> changedWindows, List<Views.AlertView> changedAlerts,
      List<Long> removedWindows, Views.TenantView changedTenants) {
    boolean forget = false;
    for (Long start : removedWindows) forget |= windows.remove(start) != null;
    for (Views.WindowView w : changedWindows) {
      windows.put(w.windowStart(), w);
      trim(w.windowEnd() - w.windowStart());
      if (!forget) broadcast(numbered("window", Json.write(w)));
    }
    for (Views.AlertView a : changedAlerts) {
      alerts.remove(a.alertId());
      alerts.put(a.alertId(), a);
      if (alerts.size() > alertsKept) alerts.remove(alerts.keySet().iterator().next());
      if (!forget) broadcast(numbered("alert", Json.write(a)));
    }
    if (changedTenants != null) {
      tenants = changedTenants;
      if (!forget) broadcast(numbered("tenants", Json.write(changedTenants)));
    }
    if (forget) broadcast(numbered("snapshot", buildSnapshotJson()));
  }

  /** The kept windows: the last windowsKept window lengths up to the newest, as the board and the page keep them. */
  private void trim(long windowMs) {
    while (windows.size() > windowsKept) windows.pollFirstEntry();
    long oldest = windows.lastKey() - (windowsKept - 1L) * windowMs;
    while (windows.firstKey() < oldest) windows.pollFirstEntry();
  }

  /** Sends the stream's status to every browser; not replayed (the next heartbeat brings a fresh one). */
  synchronized void publishStatus(Views.StatusView status) {
    this.status = status;
    broadcast(new SseMessage("status", Json.write(status), null));
  }

  /**
   * Registers a browser. With a Last-Event-ID of this run that is still in the replay buffer it gets the events
   * after it; otherwise the full snapshot. Then every later event, in order, none twice.
   */
  synchronized void subscribe(SseClient client, String lastEventId) {
    Subscriber s = new Subscriber(client, queueCapacity, senders);
    if (closed) {
      s.close();
      return;
    }
    client.onClose(() -> subscribers.remove(s));
    List<SseMessage> missed = missedSince(lastEventId);
    if (missed != null) {
      missed.forEach(s::offer);
    } else {
      s.offer(new SseMessage("snapshot", snapshotJson(), sequence == 0 ? null : id(sequence)));
    }
    if (status != null) s.offer(new SseMessage("status", Json.write(status), null));
    if (!s.closed()) subscribers.add(s);
  }

  /** The tenant view as JSON, the one last published; before any, a view of no tenants. */
  synchronized String tenantsJson() {
    return Json.write(tenants != null ? tenants : NO_TENANTS);
  }

  /** The snapshot as JSON, the same a connecting browser gets. */
  synchronized String snapshotJson() {
    if (snapshotSequence != sequence || snapshotJson == null) {
      snapshotJson = buildSnapshotJson();
      snapshotSequence = sequence;
    }
    return snapshotJson;
  }

  private String buildSnapshotJson() {
    List<Views.AlertView> recentFirst = new ArrayList<>(alerts.values());
    Collections.reverse(recentFirst);
    return Json.write(new Views.Snapshot(instance, windowsKept, new ArrayList<>(windows.values()), recentFirst,
        tenants, status));
  }

  /** The events after the given id, or null when they are not all here (another run's id, or too old). */
  private List<SseMessage> missedSince(String lastEventId) {
    if (lastEventId == null) return null;
    String prefix = instance + ":";
    if (!lastEventId.startsWith(prefix)) return null;
    long last;
    try {
      last = Long.parseLong(lastEventId.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return null;
    }
    if (last > sequence) return null;
    long oldest = replay.isEmpty() ? sequence + 1 : replay.peekFirst().sequence();
    if (last < oldest - 1) return null;
    List<SseMessage> out = new ArrayList<>();
    for (Numbered n : replay) {
      if (n.sequence() > last) out.add(n.message());
    }
    return out;
  }

  private SseMessage numbered(String event, String json) {
    sequence++;
    SseMessage m = new SseMessage(event, json, id(sequence));
    replay.addLast(new Numbered(sequence, m));
    if (replay.size() > REPLAY_EVENTS) replay.removeFirst();
    return m;
  }

  private String id(long seq) {
    return instance + ":" + seq;
  }

  private void broadcast(SseMessage m) {
    for (Subscriber s : subscribers) s.offer(m);
  }

  /** Ends every browser's stream (they will try to reconnect) and refuses new ones. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Subscriber s : List.copyOf(subscribers)) s.close();
    subscribers.clear();
  }
}
