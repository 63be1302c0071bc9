package io.fleetpulse.jobs.source;

import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.DecodeException;
import java.io.Serializable;
import java.time.Duration;

/**
 * Turns the bytes of one Kafka record into a validated {@link ChipReading}, or a {@link DeadLetter} saying why
 * not. Pure apart from the wall clock used to reject event times too far in the future (a broken producer clock
 * would otherwise drag every watermark ahead and make all other data late).
 */
public final class TelemetryDecoder implements Serializable {

  private static final long serialVersionUID = 1L;
  /** Telemetry from before 2020 is no fleet we model: a zero or garbage timestamp. */
  static final long EARLIEST_EVENT_TIME = 1_577_836_800_000L;

  private final MetricFactors factors;
  private final long maxAheadMs;

  public TelemetryDecoder(MetricFactors factors, Duration maxAhead) {
    this.factors = factors;
    this.maxAheadMs = maxAhead.toMillis();
  }

  public TelemetryRecord decode(String topic, int partition, long offset, byte[] key, byte[] value, long nowMs) {
    ChipSample s;
    try {
      s = AvroCodec.CHIP_SAMPLE.decode(value);
    } catch (DecodeException e) {
      return dead(DeadLetter.Reason.valueOf(e.reason().name()), e.getMessage(), topic, partition, offset, key, value);
    }
    MetricFactors.GenerationFactors gen = factors.generation(s.getGeneration());
    if (factors.site(s.getSite()) == null) {
      return dead(DeadLetter.Reason.UNKNOWN_SITE, "site '" + s.getSite() + "' is not in the fleet config",
          topic, partition, offset, key, value);
    }
    if (gen == null) {
      return dead(DeadLetter.Reason.UNKNOWN_GENERATION,
          "generation '" + s.getGeneration() + "' is not in the fleet config", topic, partition, offset, key, value);
    }
    String problem = outOfRange(s, gen, nowMs);
    if (problem != null) {
      return dead(DeadLetter.Reason.OUT_OF_RANGE, problem, topic, partition, offset, key, value);
    }
    return TelemetryRecord.valid(toReading(s));
  }

  /** The first field outside its physical range, or null. NaN fails every range check. */
  private String outOfRange(ChipSample s, MetricFactors.GenerationFactors gen, long nowMs) {
    long t = s.getEventTime().toEpochMilli();
    if (s.getChipId() < 0 || s.getInstanceId() < 0 || s.getUltraserverId() < 0) {
      return "negative chip, instance or UltraServer id";
    }
    if (t < EARLIEST_EVENT_TIME || t > nowMs + maxAheadMs) {
      return "event_time " + s.getEventTime() + " outside [2020-01-01, now + " + Duration.ofMillis(maxAheadMs) + "]";
    }
    if (!(s.getIntervalMs() >= 100 && s.getIntervalMs() <= 3_600_000)) {
      return "interval_ms " + s.getIntervalMs() + " outside [100, 3600000]";
    }
    if (!(s.getUtilization() >= 0 && s.getUtilization() <= 1)) {
      return "utilization " + s.getUtilization() + " outside [0, 1]";
    }
    if (!(s.getHbmUsedGib() >= 0 && s.getHbmUsedGib() <= gen.hbmGib())) {
      return "hbm_used_gib " + s.getHbmUsedGib() + " outside [0, " + gen.hbmGib() + "]";
    }
    // Meters overshoot a chip's rated power briefly; twice the rating is no chip, it is a broken sensor.
    if (!(s.getPowerW() >= 0 && s.getPowerW() <= 2 * gen.maxPowerW())) {
      return "power_w " + s.getPowerW() + " outside [0, " + 2 * gen.maxPowerW() + "]";
    }
    if (!(s.getRenewableShare() >= 0 && s.getRenewableShare() <= 1)) {
      return "renewable_share " + s.getRenewableShare() + " outside [0, 1]";
    }
    if (s.getEccCorrectedTotal() < 0 || s.getEccUncorrectedTotal() < 0) {
      return "negative ECC counter";
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
    return r;
  }

  private static TelemetryRecord dead(DeadLetter.Reason reason, String detail, String topic, int partition,
      long offset, byte[] key, byte[] value) {
    return TelemetryRecord.invalid(new DeadLetter(reason, detail, topic, partition, offset, key, value));
  }
}
