package io.fleetpulse.jobs.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.source.ChipReadingSerializer;
import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import java.util.Random;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The hand-written serializers keep every field, and a roll-up checkpointed mid-window carries on unchanged. */
class RollUpAccumulatorSerializerTest {

  static RollUpAccumulator part(int us, Random rnd) {
    MetricSums s = new MetricSums();
    s.ultraservers = 1;
    s.samples = 384;
    s.chipsReporting = 64;
    s.powerSumW = rnd.nextDouble() * 1e5;
    s.powerMaxW = rnd.nextDouble() * 500;
    s.costUsd = rnd.nextDouble();
    s.factorsUsed = "site " + (us % 3) + "; gen " + (us % 2);
    KllFloatsSketch k = KllFloatsSketch.newHeapInstance(MetricSums.SKETCH_K);
    for (int i = 0; i < 384; i++) k.update(rnd.nextFloat());
    s.utilizationSketch = k.toByteArray();
    return RollUpAccumulator.of(AggregationLevel.FLEET, null, null, s);
  }

  static <T> T roundTrip(T value, org.apache.flink.api.common.typeutils.TypeSerializer<T> serializer)
      throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void aRollUpCheckpointedMidWindowEndsAsOneNeverCheckpointed() throws Exception {
    Random rnd = new Random(5);
    RollUpAccumulator[] parts = new RollUpAccumulator[200];
    for (int i = 0; i < parts.length; i++) parts[i] = part(i, rnd);
    RollUpAccumulator straight = new RollUpAccumulator();
    RollUpAccumulator restored = new RollUpAccumulator();
    for (int i = 0; i < parts.length; i++) {
      straight.add(parts[i]);
      restored.add(parts[i]);
      if (i == 77) restored = roundTrip(restored, RollUpAccumulatorSerializer.INSTANCE);
      if (i == 150) restored = RollUpAccumulatorSerializer.INSTANCE.copy(restored);
    }
    MetricSums a = straight.finished();
    MetricSums b = restored.finished();
    assertThat(b.ultraservers).isEqualTo(200);
    assertThat(b.powerSumW).isEqualTo(a.powerSumW);
    assertThat(b.powerMaxW).isEqualTo(a.powerMaxW);
    assertThat(b.costUsd).isEqualTo(a.costUsd);
    assertThat(b.factorsUsed).isEqualTo(a.factorsUsed).isEqualTo("gen 0; gen 1; site 0; site 1; site 2");
    KllFloatsSketch ka = KllFloatsSketch.heapify(org.apache.datasketches.memory.Memory.wrap(a.utilizationSketch));
    KllFloatsSketch kb = KllFloatsSketch.heapify(org.apache.datasketches.memory.Memory.wrap(b.utilizationSketch));
    assertThat(kb.getN()).isEqualTo(ka.getN()).isEqualTo(200L * 384);
    assertThat(kb.getQuantile(0.5)).isCloseTo(ka.getQuantile(0.5), org.assertj.core.data.Offset.offset(0.03f));
  }

  @Test
  void aChipReadingCrossesTheNetworkWhole() throws Exception {
    ChipReading r = new ChipReading();
    r.chipId = 70;
    r.instanceId = 4;
    r.ultraserverId = 1;
    r.site = "us-pa";
    r.generation = "trn2";
    r.workloadId = -1;
    r.workloadKind = 2;
    r.eventTime = 1_764_000_000_123L;
    r.intervalMs = 10_000;
    r.utilization = 0.5;
    r.hbmUsedGib = 40.25;
    r.powerW = 325.125;
    r.renewableShare = 0.2;
    r.eccCorrectedTotal = Long.MAX_VALUE;
    r.eccUncorrectedTotal = 3;
    ChipReading back = roundTrip(r, ChipReadingSerializer.INSTANCE);
    assertThat(back).usingRecursiveComparison().isEqualTo(r);
    assertThat(ChipReadingSerializer.INSTANCE.copy(r)).usingRecursiveComparison().isEqualTo(r);
  }
}
