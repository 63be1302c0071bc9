package io.fleetpulse.jobs.source;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A validated chip sample as the job carries it between operators: primitives and two short strings, written across
 * the network by its own serializer ({@link ChipReadingSerializer}) rather than Avro, Kryo or reflection.
 */
@TypeInfo(ChipReadingTypeInfo.class)
public class ChipReading {
  public int chipId;
  public int instanceId;
  public int ultraserverId;
  public String site;
  public String generation;
  public int workloadId;
  /** Ordinal of the Avro enum WorkloadKind. */
  public int workloadKind;
  public long eventTime;
  public int intervalMs;
  public double utilization;
  public double hbmUsedGib;
  public double powerW;
  public double renewableShare;
  public long eccCorrectedTotal;
  public long eccUncorrectedTotal;
  /** The tenant label, as sent (the config's own instance when it is a configured tenant); null when unlabelled. */
  public String tenant;

  public ChipReading() {}

  /** A field-for-field copy. */
  public ChipReading copy() {
    ChipReading c = new ChipReading();
    c.chipId = chipId;
    c.instanceId = instanceId;
    c.ultraserverId = ultraserverId;
    c.site = site;
    c.generation = generation;
    c.workloadId = workloadId;
    c.workloadKind = workloadKind;
    c.eventTime = eventTime;
    c.intervalMs = intervalMs;
    c.utilization = utilization;
    c.hbmUsedGib = hbmUsedGib;
    c.powerW = powerW;
    c.renewableShare = renewableShare;
    c.eccCorrectedTotal = eccCorrectedTotal;
    c.eccUncorrectedTotal = eccUncorrectedTotal;
    c.tenant = tenant;
    return c;
  }

  public int getUltraserverId() {
    return ultraserverId;
  }

  public double intervalSeconds() {
    return intervalMs / 1000.0;
  }

  @Override
  public String toString() {
    return "ChipReading{chip=" + chipId + ", us=" + ultraserverId + ", t=" + eventTime + ", util=" + utilization
        + ", power=" + powerW + "}";
  }
}
