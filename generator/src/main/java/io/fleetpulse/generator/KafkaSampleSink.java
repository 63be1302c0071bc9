package io.fleetpulse.generator;

import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.GridProfile;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.GridIntensity;
import io.fleetpulse.schema.ProgressMarker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends samples to Kafka with an idempotent, batched producer (acks=all, lz4, 20 ms linger, 256 KiB batches).
 *
 * <p>Records are keyed by UltraServer, not by chip: all 64 chips of an UltraServer land in one partition, so a
 * chip's samples stay in order (one key, one partition) and the partitions divide the fleet the same way the
 * job's windows do. The record timestamp is left to the producer (wall clock): simulated event time travels in
 * the payload, so broker retention and timestamp checks never see a far past or future.
 *
 * <p>The first record for each partition is sent alone and waited for. Right after a topic is created its leader may
 * not serve it yet: the first batch then fails as NOT_LEADER while later in-flight batches of the same idempotent
 * producer are accepted once it does, and the retried first batch is out of sequence forever (seen with Kafka 4.2,
 * ProducerPerformance included). A partition that holds one acknowledged record of this producer cannot get there.
 */
public final class KafkaSampleSink implements SampleSink {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final RunIdentity run;
  private final ChipSampleWriter writer;
  private final byte[][] keys;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicLong acked = new AtomicLong();
  private final Callback callback = this::onCompletion;
  private final AtomicLong markersAcked = new AtomicLong();
  private final Callback markerCallback = (metadata, e) -> {
    if (e != null) failure.compareAndSet(null, e);
    else markersAcked.incrementAndGet();
  };
  private static final byte[] MARKER_KEY = "progress".getBytes(StandardCharsets.UTF_8);
  private String gridTopic;
  private boolean[] acknowledged; // per partition: has one record of this producer been acknowledged there
  private int acknowledgedCount;

  /** Writes the samples of one shard of one run ({@code run}: what its progress markers say). */
  public KafkaSampleSink(String bootstrapServers, Map<String, String> clientProperties, String topic, FleetLayout layout,
      RunIdentity run, String clientId) {
    this.topic = topic;
    this.run = run;
    this.writer = new ChipSampleWriter(layout);
    this.keys = new byte[layout.ultraservers()][];
    this.producer = new KafkaProducer<>(producerConfig(bootstrapServers, clientProperties, clientId),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The sink of a run's shard: its identity from the model's config, the plan's start and shard. */
  public KafkaSampleSink(String bootstrapServers, Map<String, String> clientProperties, String topic, FleetModel model,
      RunPlan plan, String clientId) {
    this(bootstrapServers, clientProperties, topic, model.layout(),
        RunIdentity.of(model.config(), plan.alignedStart(model), plan.shard()), clientId);
  }

  /**
   * Also writes each hour's grid figures to {@code topic} (keyed by site), ahead of the hour's samples; without this
   * call they are not written.
   */
  public KafkaSampleSink withGridIntensity(String topic) {
    this.gridTopic = topic;
    return this;
  }

  /** The producer settings, defaults first so that a passed-through property can override any of them. */
  public static Map<String, Object> producerConfig(String bootstrapServers, Map<String, String> overrides, String clientId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.putAll(overrides);
    return c;
  }

  @Override
  public void accept(Sample s) {
    rethrow();
    byte[] key = key(s.ultraserver);
    send(new ProducerRecord<>(topic, key, writer.encode(s)), partitionOf(key));
  }

  /** A progress marker to every partition: this shard has sent all its samples stamped before the instant. */
  @Override
  public void progress(long completeUntilMs, boolean endOfRun) {
    rethrow();
    byte[] marker = AvroCodec.PROGRESS_MARKER.encode(ProgressMarker.newBuilder()
        .setProducer(RunIdentity.PRODUCER).setRunId(run.runId()).setRunStart(run.start())
        .setShardIndex(run.shard().index())
        .setShardCount(run.shard().count()).setCompleteUntil(Instant.ofEpochMilli(completeUntilMs))
        .setEndOfRun(endOfRun).build());
    for (int p = 0; p < partitions(); p++) send(new ProducerRecord<>(topic, p, MARKER_KEY, marker), p, markerCallback);
  }

  /**
   * One site's grid figures for an hour, sent and acknowledged before the hour's first sample goes out: a few records
   * an hour, so each waits for its acknowledgement (which also keeps an idempotent first batch in sequence).
   */
  @Override
  public void gridIntensity(GridProfile.Hour h) {
    if (gridTopic == null) return;
    rethrow();
    byte[] value = AvroCodec.GRID_INTENSITY.encode(GridIntensity.newBuilder()
        .setSite(h.site()).setHourStart(Instant.ofEpochMilli(h.hourStartMs()))
        .setLocationGPerKwh(h.locationGPerKwh()).setGridCfeShare(h.gridCfeShare())
        .setResidualGPerKwh(h.residualGPerKwh()).setContractedCfeShare(h.contractedCfeShare())
        .setSource(h.source()).build());
    try {
      producer.send(new ProducerRecord<>(gridTopic, h.site().getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing grid intensity", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("writing grid intensity to " + gridTopic + " failed", e.getCause());
    }
  }

  private void send(ProducerRecord<byte[], byte[]> record, int partition) {
    send(record, partition, callback);
  }

  private void send(ProducerRecord<byte[], byte[]> record, int partition, Callback done) {
    if (acknowledgedCount < partitions() && !acknowledged[partition]) {
      sendAndWait(record, done);
    } else {
      producer.send(record, done);
    }
  }

  private int partitions() {
    if (acknowledged == null) acknowledged = new boolean[producer.partitionsFor(topic).size()];
    return acknowledged.length;
  }

  /** The partition of an UltraServer's samples. */
  public int partitionOfUltraserver(int us) {
    return partitionOf(key(us));
  }

  /** The partition Kafka's default partitioner picks for the key (with another partitioner configured, a guess). */
  private int partitionOf(byte[] key) {
    return BuiltInPartitioner.partitionForKey(key, partitions());
  }

  private void rethrow() {
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("Kafka rejected telemetry: " + e.getMessage(), e);
    }
  }

  private void sendAndWait(ProducerRecord<byte[], byte[]> record, Callback done) {
    try {
      var sent = producer.send(record, done);
      producer.flush(); // send it now rather than after linger.ms: the sample stream waits for this one
      int partition = sent.get().partition();
      if (partition < acknowledged.length && !acknowledged[partition]) {
        acknowledged[partition] = true;
        acknowledgedCount++;
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka rejected telemetry: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending the first record of a partition", e);
    }
  }

  private byte[] key(int us) {
    byte[] k = keys[us];
    if (k == null) {
      k = Integer.toString(us).getBytes(StandardCharsets.UTF_8);
      keys[us] = k;
    }
    return k;
  }

  private void onCompletion(RecordMetadata metadata, Exception e) {
    if (e != null) {
      failure.compareAndSet(null, e);
    } else {
      acked.incrementAndGet();
    }
  }

  /** Samples Kafka has acknowledged (progress markers not counted). */
  public long acknowledged() {
    return acked.get();
  }

  /** Progress markers Kafka has acknowledged, one per partition per tick. */
  public long markersAcknowledged() {
    return markersAcked.get();
  }

  @Override
  public void flush() {
    producer.flush();
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("Kafka rejected telemetry: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
