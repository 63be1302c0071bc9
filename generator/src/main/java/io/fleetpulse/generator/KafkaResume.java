package io.fleetpulse.generator;

import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Sample;
import io.fleetpulse.cli.Shard;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.DecodeException;
import io.fleetpulse.schema.ProgressMarker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where an earlier run of this shard stopped, read from the topic itself, so a restarted generator neither skips nor
 * repeats a sample. Per partition, the log holds a prefix of what the idempotent producer sent there, in order: the
 * shard's last progress marker says every sample before its {@code complete_until} is in, and the shard's samples
 * after that marker say how far into the next tick it got (samples go out in (event time, chip) order). The run
 * resumes at the least complete tick over all partitions and leaves out, per partition, what is there already.
 */
public final class KafkaResume {

  /** Records read per step while scanning a partition backwards for the shard's last marker. */
  static final int STEP = 20_000;
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What the topic holds of a shard: per partition, how far it got; {@code none} when it holds nothing of it. */
  public record Position(long resumeTick, boolean complete, boolean none, SentAlready sentAlready, String describe) {}

  private KafkaResume() {}

  public static Position find(String bootstrapServers, Map<String, String> clientProperties, String topic,
      FleetModel model, RunPlan plan, RunIdentity run) {
    FleetLayout layout = model.layout();
    int[] usRange = layout.shardRange(run.shard().index(), run.shard().count());
    int chipFrom = usRange[0] * layout.chipsPerUltraserver();
    int chipTo = usRange[1] * layout.chipsPerUltraserver();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, clientProperties)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
      if (infos == null || infos.isEmpty()) return new Position(RunPlan.UNBOUNDED, false, true, SentAlready.NOTHING, "");
      Partition[] partitions = new Partition[infos.size()];
      for (PartitionInfo info : infos) {
        partitions[info.partition()] = scan(consumer, new TopicPartition(topic, info.partition()), run, chipFrom, chipTo);
      }
      return position(partitions, model, plan, layout);
    }
  }

  /**
   * The run this shard wrote last to the topic (as its last marker in partition 0 says), or null when the topic holds
   * no marker of the shard: what a restarted shard given no --start resumes, if its settings are the same.
   */
  public static RunIdentity lastRun(String bootstrapServers, Map<String, String> clientProperties, String topic,
      Shard shard) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, clientProperties)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
      if (infos == null || infos.isEmpty()) return null;
      Partition p = scan(consumer, new TopicPartition(topic, 0), new RunIdentity(null, null, shard), 0, 0);
      return p.found ? new RunIdentity(p.runId, p.runStart, shard) : null;
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, Map<String, String> clientProperties) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, STEP);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The shard's last marker in one partition, and its last sample after it. */
  static final class Partition {
    boolean found;
    String runId;
    Instant runStart;
    long completeUntil;
    boolean endOfRun;
    long lastTime = Long.MIN_VALUE;
    int lastChip = Integer.MIN_VALUE;

    boolean sent(Sample s) {
      if (!found) return false;
      if (s.eventTimeMs < completeUntil) return true;
      return s.eventTimeMs < lastTime || (s.eventTimeMs == lastTime && s.chip <= lastChip);
    }

    void sample(long t, int chip) {
      if (t > lastTime || (t == lastTime && chip > lastChip)) {
        lastTime = t;
        lastChip = chip;
      }
    }
  }

  private static Partition scan(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, RunIdentity run,
      int chipFrom, int chipTo) {
    consumer.assign(List.of(tp));
    long begin = consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp);
    long hi = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
    Partition later = new Partition(); // the shard's samples in the part already scanned (after this step)
    while (hi > begin) {
      long lo = Math.max(begin, hi - STEP);
      Partition step = readStep(consumer, tp, lo, hi, run, chipFrom, chipTo);
      if (step.found) {
        step.sample(later.lastTime, later.lastChip);
        // The shard's last marker is of another run (other settings, or another start): nothing of this run counts.
        return run.runId() == null || step.runId.equals(run.runId()) ? step : new Partition();
      }
      later.sample(step.lastTime, step.lastChip);
      hi = lo;
    }
    return new Partition();
  }

  /** Reads [lo, hi): the last marker of the shard in it, and the shard's last sample after it (or in all of it). */
  private static Partition readStep(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long lo, long hi,
      RunIdentity run, int chipFrom, int chipTo) {
    consumer.seek(tp, lo);
    Partition p = new Partition();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (consumer.position(tp, TIMEOUT) < hi) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("cannot read " + tp + " to find where this shard stopped (offsets " + lo
            + ".." + hi + ", no answer in " + TIMEOUT.toSeconds() + " s); use --fresh to start over");
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        if (r.offset() >= hi) break;
        read(p, r.value(), run, chipFrom, chipTo);
      }
    }
    return p;
  }

  private static final long MARKER = AvroCodec.PROGRESS_MARKER.fingerprint();
  private static final long SAMPLE = AvroCodec.CHIP_SAMPLE.fingerprint();

  private static void read(Partition p, byte[] value, RunIdentity run, int chipFrom, int chipTo) {
    long fp = AvroCodec.fingerprintOf(value);
    try {
      if (fp == MARKER) {
        ProgressMarker m = AvroCodec.PROGRESS_MARKER.decode(value);
        if (m.getProducer().equals(RunIdentity.PRODUCER) && m.getShardIndex() == run.shard().index()
            && m.getShardCount() == run.shard().count()) {
          p.found = true;
          p.runId = m.getRunId();
          p.runStart = m.getRunStart();
          p.completeUntil = m.getCompleteUntil().toEpochMilli();
          p.endOfRun = m.getEndOfRun();
          p.lastTime = Long.MIN_VALUE; // only samples after the last marker tell how far past it the shard got
          p.lastChip = Integer.MIN_VALUE;
        }
      } else if (fp == SAMPLE) {
        ChipSample s = AvroCodec.CHIP_SAMPLE.decode(value);
        if (s.getChipId() >= chipFrom && s.getChipId() < chipTo) p.sample(s.getEventTime().toEpochMilli(), s.getChipId());
      }
    } catch (DecodeException e) {
      // Someone else's bad record: it says nothing of this shard.
    }
  }

  private static Position position(Partition[] partitions, FleetModel model, RunPlan plan, FleetLayout layout) {
    long interval = model.intervalMs();
    long resume = Long.MAX_VALUE;
    boolean any = false;
    boolean allEnded = true;
    for (Partition p : partitions) {
      any |= p.found;
      allEnded &= p.found && p.endOfRun;
      resume = Math.min(resume, p.found ? Math.floorDiv(p.completeUntil, interval) : plan.startTick(model));
    }
    if (!any) return new Position(RunPlan.UNBOUNDED, false, true, SentAlready.NOTHING, "");
    int[] partitionOfUs = new int[layout.ultraservers()];
    for (int us = 0; us < partitionOfUs.length; us++) {
      partitionOfUs[us] = org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(
          Integer.toString(us).getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions.length);
    }
    SentAlready sent = s -> partitions[partitionOfUs[s.ultraserver]].sent(s);
    List<String> parts = new ArrayList<>();
    long inNextTick = 0;
    for (Partition p : partitions) if (p.found && p.lastTime != Long.MIN_VALUE) inNextTick++;
    parts.add("complete until " + Instant.ofEpochMilli(resume * interval));
    if (inNextTick > 0) parts.add(inNextTick + " partitions hold part of the next tick");
    return new Position(resume, allEnded, false, sent, String.join(", ", parts));
  }
}
