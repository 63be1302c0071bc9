package io.fleetpulse.jobs.source;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.DecodeException;
import io.fleetpulse.schema.ProgressMarker;
import java.io.Serializable;
import java.time.Instant;

/**
 * Turns the bytes of one Kafka record into a validated {@link ChipReading}, or a {@link DeadLetter} saying why not.
 * Pure: the same bytes always give the same answer, whatever the clock says. Whether a sample is stamped too far
 * ahead depends on the stream around it, so {@link PartitionClock} judges that.
 */
public final class TelemetryDecoder implements Serializable {

  private static final long serialVersionUID = 2L;
  /** Telemetry from before 2020 is no fleet we model: a zero or garbage timestamp. */
  static final long EARLIEST_EVENT_TIME = 1_577_836_800_000L;
  /** 2100-01-01: a later stamp is no clock error a skew bound needs to judge, it is garbage. */
  static final long LATEST_EVENT_TIME = 4_102_444_800_000L;
  /** A ChipSample is about 100 bytes; anything this large is not one and is not worth decoding. */
  public static final int MAX_SAMPLE_BYTES = 4096;
  /** The shortest interval_ms without a layout: at most one sample per chip per second counts. */
  public static final int MIN_INTERVAL_MS = 1000;

  private final MetricFactors factors;
  private final FleetTopology topology;
  private final long windowMs;
  private final long chipSampleFingerprint = ChipSampleReader.fingerprint();
  private final ChipSampleReader reader;
  private final long markerFingerprint = AvroCodec.PROGRESS_MARKER.fingerprint();

  /**
   * @param topology the fleet layout samples must fit, or null to check ids only for range
   * @param windowMs the job's window: without a layout, a sample's interval must divide it
   */
  public TelemetryDecoder(MetricFactors factors, FleetTopology topology, long windowMs) {
    this.factors = factors;
    this.topology = topology;
    this.windowMs = windowMs;
    this.reader = new ChipSampleReader(factors.siteIds(), factors.generationIds(),
        factors.attribution().tenantIds());
  }

  /** True when the value is single-object encoded with the ProgressMarker schema. */
  public boolean isProgressMarker(byte[] value) {
    return AvroCodec.fingerprintOf(value) == markerFingerprint;
  }

  public ProgressMarker decodeMarker(byte[] value) {
    return AvroCodec.PROGRESS_MARKER.decode(value);
  }

  /** The shortest sample interval a window can hold (the fleet's, with a layout): the size of a chip's slots. */
  public long minIntervalMs() {
    return topology != null ? topology.intervalMs() : MIN_INTERVAL_MS;
  }

  public TelemetryRecord decode(String topic, int partition, long offset, byte[] key, byte[] value) {
    if (value != null && value.length > MAX_SAMPLE_BYTES) {
      return dead(DeadLetterReason.OVERSIZED, "value of " + value.length + " bytes; a sample is at most "
          + MAX_SAMPLE_BYTES, topic, partition, offset, key, value);
    }
    ChipReading r;
    try {
      // The current schema by the fast path; anything else (an older schema, or not a sample) through Avro.
      r = AvroCodec.fingerprintOf(value) == chipSampleFingerprint ? reader.read(value)
          : toReading(AvroCodec.CHIP_SAMPLE.decode(value));
    } catch (DecodeException e) {
      return dead(e.reason(), e.getMessage(), topic, partition, offset, key, value);
    }
    if (factors.site(r.site) == null) {
      return dead(DeadLetterReason.UNKNOWN_SITE, "site " + DeadLetter.quote(r.site)
          + " is not in the fleet config", topic, partition, offset, key, value);
    }
    MetricFactors.GenerationFactors gen = factors.generation(r.generation);
    if (gen == null) {
      return dead(DeadLetterReason.UNKNOWN_GENERATION, "generation " + DeadLetter.quote(r.generation)
          + " is not in the fleet config", topic, partition, offset, key, value);
    }
    String problem = outOfRange(r);
    if (problem == null) problem = beyondChip(r, gen);
    if (problem != null) return dead(DeadLetterReason.OUT_OF_RANGE, problem, topic, partition, offset, key, value);
    if (topology != null) {
      FleetTopology.Problem p = topology.check(r.chipId, r.instanceId, r.ultraserverId, r.site, r.generation,
          r.intervalMs);
      if (p != null) return dead(p.reason(), p.detail(), topic, partition, offset, key, value);
    } else if (r.intervalMs < MIN_INTERVAL_MS || windowMs % r.intervalMs != 0) {
      return dead(DeadLetterReason.WRONG_INTERVAL, "interval_ms " + r.intervalMs + " does not divide the "
          + windowMs + " ms window in steps of at least " + MIN_INTERVAL_MS + " ms", topic, partition, offset, key,
          value);
    }
    return TelemetryRecord.valid(r);
  }

  /** The first field outside its physical range, or null. NaN fails every range check. */
  private static String outOfRange(ChipReading r) {
    long t = r.eventTime;
    if (r.chipId < 0 || r.instanceId < 0 || r.ultraserverId < 0) {
      return "negative chip, instance or UltraServer id";
    }
    if (t < EARLIEST_EVENT_TIME || t >= LATEST_EVENT_TIME) {
      return "event_time " + Instant.ofEpochMilli(t) + " outside [2020-01-01, 2100-01-01)";
    }
    if (!(r.intervalMs >= 100 && r.intervalMs <= 3_600_000)) {
      return "interval_ms " + r.intervalMs + " outside [100, 3600000]";
    }
    if (!(r.utilization >= 0 && r.utilization <= 1)) {
      return "utilization " + r.utilization + " outside [0, 1]";
    }
    if (!(r.renewableShare >= 0 && r.renewableShare <= 1)) {
      return "renewable_share " + r.renewableShare + " outside [0, 1]";
    }
    if (r.eccCorrectedTotal < 0 || r.eccUncorrectedTotal < 0) {
      return "negative ECC counter";
    }
    return null;
  }

  /** Ranges that depend on the chip's generation. */
  private static String beyondChip(ChipReading r, MetricFactors.GenerationFactors gen) {
    if (!(r.hbmUsedGib >= 0 && r.hbmUsedGib <= gen.hbmGib())) {
      return "hbm_used_gib " + r.hbmUsedGib + " outside [0, " + gen.hbmGib() + "]";
    }
    // Meters overshoot a chip's rated power briefly; twice the rating is no chip, it is a broken sensor.
    if (!(r.powerW >= 0 && r.powerW <= 2 * gen.maxPowerW())) {
      return "power_w " + r.powerW + " outside [0, " + 2 * gen.maxPowerW() + "]";
    }
    return null;
  }

  static ChipReading toReading(ChipSample s) {
    ChipReading r = new ChipReading();
    r.chipId = s.getChipId();
    r.instanceId = s.getInstanceId();
    r.ultraserverId = s.getUltraserverId();
    r.site = s.getSite();
    r.generation = s.getGeneration();
    r.workloadId = s.getWorkloadId();
    r.workloadKind = s.getWorkloadKind().ordinal();
    r.eventTime = s.getEventTime().toEpochMilli();
    r.intervalMs = s.getIntervalMs();
    r.utilization = s.getUtilization();
    r.hbmUsedGib = s.getHbmUsedGib();
    r.powerW = s.getPowerW();
    r.renewableShare = s.getRenewableShare();
    r.eccCorrectedTotal = s.getEccCorrectedTotal();
    r.eccUncorrectedTotal = s.getEccUncorrectedTotal();
    r.tenant = s.getTenant() == null ? null : s.getTenant().toString();
    return r;
  }

  static TelemetryRecord dead(DeadLetterReason reason, String detail, String topic, int partition, long offset,
      byte[] key, byte[] value) {
    return TelemetryRecord.invalid(new DeadLetter(reason, detail, topic, partition, offset, key, value));
  }
}
