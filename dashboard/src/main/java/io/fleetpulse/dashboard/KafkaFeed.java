package io.fleetpulse.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the metrics and alert topics into the {@link FleetBoard} and publishes what changed to the
 * {@link EventHub}, on one thread of its own.
 *
 * <p>Partitions are assigned, not subscribed through a consumer group: the dashboard commits nothing, needs no
 * group rights on a shared cluster, and every dashboard instance reads every partition. Topics and partitions are
 * looked up every {@code topicDiscoveryInterval}, so roll-up topics created after the dashboard started are
 * picked up. A new partition starts {@code history} back in record time; positions survive a reconnect, so
 * nothing is read twice or skipped. The client reconnects to brokers by itself; any other error closes the
 * consumer and a new one starts after a growing pause (1 s to 30 s).
 *
 * <p>The records themselves cannot stop it: each goes through {@link Intake}, which skips and counts whatever it
 * cannot show, and returns whatever the bytes.
 */
final class KafkaFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaFeed.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
  private static final long STATE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
  /**
   * How long the records must pause before a change is pushed: a window arrives as a burst of UltraServer records
   * (thousands at a large fleet), and pushing it once the burst is over beats pushing it half-summed several times.
   */
  private static final Duration SETTLE = Duration.ofMillis(10);
  /** Longest a change waits for the records to pause, while they keep coming. */
  private static final Duration MAX_PUSH_DELAY = Duration.ofMillis(250);
  /** The same while records are known to be waiting in Kafka (catching up, or replaying --history at start). */
  private static final Duration MAX_PUSH_DELAY_BEHIND = Duration.ofSeconds(1);

  private final DashboardSettings settings;
  private final FleetBoard board;
  private final EventHub hub;
  private final StreamStatus status;
  private final LatencyTracker latency;
  private final Intake intake;
  private final Map<String, Object> config;
  private final List<String> topics;
  /** Next offset to read, per partition read so far; kept across consumers. */
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  /**
   * Per partition, its end when the dashboard first looked: records before it were already in Kafka (read back
   * with --history), so their delay is not the stream's. Kept across consumers, like the positions.
   */
  private final Map<TopicPartition, Long> liveFrom = new HashMap<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile KafkaConsumer<byte[], byte[]> current;
  private KafkaConsumer<byte[], byte[]> first;
  private Thread thread;
  private long lastPublishNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
  /** When the oldest change not pushed yet was made; meaningful only while the board has changes. */
  private long firstChangeNanos;
  private long lastStateCheckNanos;

  /** Builds the first consumer at once, so a bad --bootstrap-servers or --kafka-property fails before serving. */
  KafkaFeed(DashboardSettings settings, FleetBoard board, EventHub hub, StreamStatus status,
      LatencyTracker latency) {
    this.settings = settings;
    this.board = board;
    this.hub = hub;
    this.status = status;
    this.latency = latency;
    this.intake = new Intake(board, status, new SkipLog());
    this.config = consumerConfig(settings);
    this.topics = new ArrayList<>(settings.metricsTopics());
    this.topics.add(settings.alertsTopic());
    this.first = newConsumer();
  }

  static Map<String, Object> consumerConfig(DashboardSettings s) {
    Map<String, Object> c = new HashMap<>(s.kafkaProperties());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "fleetpulse-dashboard");
    // The job may write its metrics transactionally (exactly-once): never show a window it aborted.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Positions are set explicitly; this only applies when a kept position fell out of retention.
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // Reading must never create a topic (with the broker's defaults) that the job means to create its own way.
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return c;
  }

  void start() {
    thread = new Thread(this::run, "dashboard-kafka");
    thread.setDaemon(true);
    thread.start();
  }

  private KafkaConsumer<byte[], byte[]> newConsumer() {
    try {
      return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      throw new IllegalArgumentException("cannot read Kafka at '" + settings.bootstrapServers() + "': "
          + root.getMessage() + " (check --bootstrap-servers and --kafka-property)", e);
    }
  }

  private void run() {
    KafkaConsumer<byte[], byte[]> consumer = first;
    first = null;
    Duration backoff = Duration.ofSeconds(1);
    while (!stopping) {
      try {
        if (consumer == null) consumer = newConsumer();
        current = consumer;
        if (stopping) break; // close() may have looked for a consumer to wake before this one was set
        read(consumer);
      } catch (WakeupException e) {
        // close() woke the consumer to stop it
      } catch (RuntimeException e) {
        // Kafka's errors, and anything else: this thread is the dashboard's only reader, it must not end.
        if (stopping) break;
        status.kafka("error: " + e.getMessage() + "; reconnecting in " + backoff.toSeconds() + " s");
        LOG.warn("Kafka consumer failed, starting a new one in {} s", backoff.toSeconds(), e);
        closeQuietly(consumer);
        consumer = null;
        current = null;
        awaitStop(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
    closeQuietly(consumer);
  }

  private void read(KafkaConsumer<byte[], byte[]> consumer) {
    Set<TopicPartition> assigned = new HashSet<>();
    long discoveryNanos = settings.topicDiscoveryInterval().toNanos();
    long nextDiscovery = System.nanoTime();
    while (!stopping) {
      if (System.nanoTime() - nextDiscovery >= 0) {
        discover(consumer, assigned);
        nextDiscovery = System.nanoTime() + discoveryNanos;
      }
      if (assigned.isEmpty()) {
        status.kafka("waiting for topics " + topics + " at " + settings.bootstrapServers());
        awaitStop(Duration.ofNanos(Math.min(discoveryNanos, TimeUnit.SECONDS.toNanos(1))));
        continue;
      }
      ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
      for (ConsumerRecord<byte[], byte[]> r : records) {
        handle(r);
        positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
      }
      publishIfDue(records.isEmpty(), behind(consumer, records.partitions()));
      checkConnection(consumer, assigned.size());
    }
  }

  /** Adds partitions that appeared since the last look, each starting where it left off or --history back. */
  private void discover(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> assigned) {
    List<TopicPartition> fresh = new ArrayList<>();
    try {
      for (String topic : topics) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, LOOKUP_TIMEOUT);
        if (partitions == null) continue;
        for (PartitionInfo p : partitions) {
          TopicPartition tp = new TopicPartition(p.topic(), p.partition());
          if (!assigned.contains(tp)) fresh.add(tp);
        }
      }
      if (fresh.isEmpty()) return;
      Map<TopicPartition, Long> since = new HashMap<>();
      long from = System.currentTimeMillis() - settings.history().toMillis();
      for (TopicPartition tp : fresh) {
        if (!positions.containsKey(tp)) since.put(tp, from);
      }
      // The end is taken before the search by time: a record written in between is then either found by time or
      // after this end, never skipped (a lazy seekToEnd would resolve later and could jump over it).
      Map<TopicPartition, Long> ends = since.isEmpty() ? Map.of() : consumer.endOffsets(since.keySet(), LOOKUP_TIMEOUT);
      Map<TopicPartition, OffsetAndTimestamp> found =
          since.isEmpty() ? Map.of() : consumer.offsetsForTimes(since, LOOKUP_TIMEOUT);
      ends.forEach(liveFrom::putIfAbsent);
      assigned.addAll(fresh);
      consumer.assign(assigned);
      for (TopicPartition tp : fresh) {
        Long kept = positions.get(tp);
        OffsetAndTimestamp byTime = found.get(tp);
        if (kept != null) {
          consumer.seek(tp, kept);
        } else if (byTime != null) {
          consumer.seek(tp, byTime.offset());
        } else {
          consumer.seek(tp, ends.get(tp)); // nothing that recent: only what comes next
        }
      }
      LOG.info("reading {} more partitions ({} in all)", fresh.size(), assigned.size());
    } catch (TimeoutException e) {
      // The brokers are unreachable just now; the next look will try again, and polling goes on meanwhile.
      status.kafka("no answer from " + settings.bootstrapServers() + " (retrying)");
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    Long live = liveFrom.get(new TopicPartition(r.topic(), r.partition()));
    Arrival arrival = new Arrival(System.currentTimeMillis(), live == null || r.offset() >= live);
    String where = r.topic() + "/" + r.partition() + "/" + r.offset();
    if (r.topic().equals(settings.alertsTopic())) {
      intake.alert(r.value(), where, arrival);
    } else {
      intake.window(r.value(), where, arrival);
    }
  }

  /** Long while nothing is pending; with a change pending, just long enough to see whether more records come. */
  private Duration pollTimeout() {
    if (!board.hasChanges()) return IDLE_POLL;
    long untilAllowed = settings.minPushInterval().toNanos() - (System.nanoTime() - lastPublishNanos);
    return Duration.ofNanos(Math.max(SETTLE.toNanos(), untilAllowed));
  }

  /** True while the partitions just read have more records waiting in Kafka. */
  private static boolean behind(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> justRead) {
    for (TopicPartition tp : justRead) {
      if (consumer.currentLag(tp).orElse(0) > 0) return true;
    }
    return false;
  }

  /**
   * Pushes the pending changes once the records paused (a poll came back empty) and --min-push-interval has passed
   * since the last push, or when a change has waited its longest.
   */
  private void publishIfDue(boolean settled, boolean behind) {
    if (!board.hasChanges()) return;
    long now = System.nanoTime();
    if (firstChangeNanos == 0) firstChangeNanos = now;
    boolean allowed = now - lastPublishNanos >= settings.minPushInterval().toNanos();
    long waited = now - firstChangeNanos;
    boolean overdue = waited >= (behind ? MAX_PUSH_DELAY_BEHIND : MAX_PUSH_DELAY).toNanos();
    if (!(settled && allowed) && !overdue) return;
    List<Views.WindowView> windows = board.drainChangedWindows(System.currentTimeMillis());
    // Before the removed windows are drained: dropping windows may drop tenant windows too.
    Views.TenantView tenants = board.drainTenantView();
    List<Long> removed = board.drainRemovedWindows();
    hub.publish(windows, board.drainChangedAlerts(), removed, tenants);
    latency.update(windows, removed);
    lastPublishNanos = now;
    firstChangeNanos = 0;
  }

  /** Polling does not fail while brokers are down, so the client's own connection count tells the page. */
  private void checkConnection(KafkaConsumer<byte[], byte[]> consumer, int partitions) {
    long now = System.nanoTime();
    if (now - lastStateCheckNanos < STATE_CHECK_NANOS) return;
    lastStateCheckNanos = now;
    double connections = -1;
    for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals("connection-count") && n.group().equals("consumer-metrics")
          && e.getValue().metricValue() instanceof Double d) {
        connections = d;
      }
    }
    status.kafka(connections == 0
        ? "no connection to " + settings.bootstrapServers() + " (retrying)"
        : "reading " + partitions + " partitions from " + settings.bootstrapServers());
  }

  private void awaitStop(Duration d) {
    try {
      stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }

  private static void closeQuietly(KafkaConsumer<byte[], byte[]> consumer) {
    if (consumer == null) return;
    try {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    } catch (RuntimeException e) {
      LOG.debug("closing the Kafka consumer failed", e);
    }
  }

  @Override
  public void close() {
    stopping = true;
    stop.countDown();
    KafkaConsumer<byte[], byte[]> c = current;
    if (c != null) c.wakeup();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      closeQuietly(first);
    }
  }
}
