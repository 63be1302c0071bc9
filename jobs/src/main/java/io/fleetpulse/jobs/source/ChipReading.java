package io.fleetpulse.jobs.source;

/**
 * A validated chip sample as the job carries it between operators: a Flink POJO of primitives (plus two short
 * strings), so the keyBy shuffle uses Flink's fast POJO serializer instead of Avro or Kryo.
 */
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

  public ChipReading() {}

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
