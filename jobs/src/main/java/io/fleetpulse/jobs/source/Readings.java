package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.WorkloadKind;
import java.time.Instant;

/** Conversions between the job's ChipReading and the Avro ChipSample it came from. */
public final class Readings {

  private Readings() {}

  public static ChipSample toSample(ChipReading r) {
    return ChipSample.newBuilder()
        .setChipId(r.chipId).setInstanceId(r.instanceId).setUltraserverId(r.ultraserverId)
        .setSite(r.site).setGeneration(r.generation).setWorkloadId(r.workloadId)
        .setWorkloadKind(WorkloadKind.values()[r.workloadKind])
        .setEventTime(Instant.ofEpochMilli(r.eventTime)).setIntervalMs(r.intervalMs)
        .setUtilization(r.utilization).setHbmUsedGib(r.hbmUsedGib).setPowerW(r.powerW)
        .setRenewableShare(r.renewableShare).setEccCorrectedTotal(r.eccCorrectedTotal)
        .setEccUncorrectedTotal(r.eccUncorrectedTotal).setTenant(r.tenant).build();
  }
}
