package io.fleetpulse.jobs.rollup;

import io.fleetpulse.jobs.types.RecordSerializer;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link RollUpAccumulator}: its group, its sums, and its sketch as bytes (the live union's, when it has
 * one), so a checkpoint holds the merged sketch however the accumulator keeps it in memory.
 */
public final class RollUpAccumulatorSerializer extends RecordSerializer<RollUpAccumulator> {

  private static final long serialVersionUID = 1L;
  public static final RollUpAccumulatorSerializer INSTANCE = new RollUpAccumulatorSerializer();
  private static final AggregationLevel[] LEVELS = AggregationLevel.values();

  @Override
  public RollUpAccumulator createInstance() {
    return new RollUpAccumulator();
  }

  @Override
  public RollUpAccumulator copy(RollUpAccumulator from) {
    RollUpAccumulator c = new RollUpAccumulator();
    c.key = from.key;
    c.level = from.level;
    c.site = from.site;
    c.generation = from.generation;
    c.workload = from.workload;
    c.tenant = from.tenant;
    c.ultraserverId = from.ultraserverId;
    if (from.sums != null) {
      c.sums = new MetricSums().addCountsAndSums(from.sums);
      c.sums.factorsUsed = from.sums.factorsUsed;
      c.sums.exactQuantiles = from.sums.exactQuantiles == null ? null : from.sums.exactQuantiles.clone();
      byte[] sketch = from.sketchBytes();
      c.sums.utilizationSketch = sketch == null ? null : sketch.clone();
    }
    return c;
  }

  @Override
  public void serialize(RollUpAccumulator a, DataOutputView out) throws IOException {
    writeNullable(out, a.key);
    out.writeByte(a.level == null ? -1 : a.level.ordinal());
    writeNullable(out, a.site);
    writeNullable(out, a.generation);
    writeNullable(out, a.workload);
    writeNullable(out, a.tenant);
    out.writeInt(a.ultraserverId == null ? -1 : a.ultraserverId);
    out.writeBoolean(a.sums != null);
    if (a.sums == null) return;
    MetricSums s = a.sums;
    out.writeInt(s.ultraservers);
    out.writeLong(s.samples);
    out.writeInt(s.chipsReporting);
    out.writeDouble(s.chipSeconds);
    out.writeDouble(s.utilizationSum);
    out.writeDouble(s.hbmUsedSumGib);
    out.writeDouble(s.hbmCapacitySumGib);
    out.writeDouble(s.powerSumW);
    out.writeDouble(s.powerMaxW);
    out.writeDouble(s.itEnergyKwh);
    out.writeDouble(s.facilityEnergyKwh);
    out.writeDouble(s.residualFacilityEnergyKwh);
    out.writeLong(s.idleSamples);
    out.writeDouble(s.idleEnergyKwh);
    out.writeDouble(s.idleCostUsd);
    out.writeDouble(s.deliveredPflop);
    out.writeDouble(s.carbonLocationKg);
    out.writeDouble(s.carbonMarketKg);
    out.writeDouble(s.costUsd);
    out.writeDouble(s.gridCfeEnergyKwh);
    out.writeDouble(s.embodiedCarbonKg);
    out.writeInt(s.hourlyFactorWindows);
    writeNullable(out, s.factorsUsed);
    out.writeInt(s.exactQuantiles == null ? -1 : s.exactQuantiles.length);
    if (s.exactQuantiles != null) for (double q : s.exactQuantiles) out.writeDouble(q);
    writeNullable(out, a.sketchBytes());
  }

  @Override
  public RollUpAccumulator deserialize(DataInputView in) throws IOException {
    RollUpAccumulator a = new RollUpAccumulator();
    a.key = readNullable(in);
    int level = in.readByte();
    a.level = level < 0 ? null : LEVELS[level];
    a.site = readNullable(in);
    a.generation = readNullable(in);
    a.workload = readNullable(in);
    a.tenant = readNullable(in);
    int us = in.readInt();
    a.ultraserverId = us < 0 ? null : us;
    if (!in.readBoolean()) return a;
    MetricSums s = new MetricSums();
    s.ultraservers = in.readInt();
    s.samples = in.readLong();
    s.chipsReporting = in.readInt();
    s.chipSeconds = in.readDouble();
    s.utilizationSum = in.readDouble();
    s.hbmUsedSumGib = in.readDouble();
    s.hbmCapacitySumGib = in.readDouble();
    s.powerSumW = in.readDouble();
    s.powerMaxW = in.readDouble();
    s.itEnergyKwh = in.readDouble();
    s.facilityEnergyKwh = in.readDouble();
    s.residualFacilityEnergyKwh = in.readDouble();
    s.idleSamples = in.readLong();
    s.idleEnergyKwh = in.readDouble();
    s.idleCostUsd = in.readDouble();
    s.deliveredPflop = in.readDouble();
    s.carbonLocationKg = in.readDouble();
    s.carbonMarketKg = in.readDouble();
    s.costUsd = in.readDouble();
    s.gridCfeEnergyKwh = in.readDouble();
    s.embodiedCarbonKg = in.readDouble();
    s.hourlyFactorWindows = in.readInt();
    s.factorsUsed = readNullable(in);
    int quantiles = in.readInt();
    if (quantiles >= 0) {
      s.exactQuantiles = new double[quantiles];
      for (int i = 0; i < quantiles; i++) s.exactQuantiles[i] = in.readDouble();
    }
    s.utilizationSketch = readBytes(in);
    a.sums = s;
    return a;
  }

  @Override
  public TypeSerializerSnapshot<RollUpAccumulator> snapshotConfiguration() {
    return new Snapshot();
  }

  /** The layout above (version 2: with the grid CFE energy, embodied carbon and hourly-factor count). */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RollUpAccumulator> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
