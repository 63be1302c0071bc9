package io.fleetpulse.jobs.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.metrics.MetricSums;
import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local half of the roll-up, driven through Flink's operator harness: UltraServer windows are summed per cell
 * (window, site, generation) and handed on only when the watermark moves on, before a checkpoint barrier or at
 * the end of input, each cell three times (its site, its generation, the fleet), ahead of the watermark. The
 * expected sums are added up here from the inputs.
 */
class LocalRollUpHarnessTest {

  static final long T0 = 1_795_615_200_000L;
  static final long MINUTE = 60_000;
  private OneInputStreamOperatorTestHarness<WindowMetrics, RollUpAccumulator> harness;
  private final Random rnd = new Random(11);

  @BeforeEach
  void open() throws Exception {
    harness = new OneInputStreamOperatorTestHarness<>(new LocalRollUp());
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private WindowMetrics ultraserver(int id, long start, String site, String generation) {
    RollUpAccumulator part = RollUpAccumulatorSerializerTest.part(id, rnd);
    return part.sums.toWindowMetrics(AggregationLevel.ULTRASERVER, start, start + MINUTE, id, site, generation, 1.0,
        part.sums.factorsUsed);
  }

  private void send(WindowMetrics m) throws Exception {
    harness.processElement(new StreamRecord<>(m, m.getWindowEnd().toEpochMilli() - 1));
  }

  private WindowMetrics ultraserver(int id, long start, String site, String generation, String workload,
      String tenant) {
    WindowMetrics m = ultraserver(id, start, site, generation);
    m.setWorkload(workload);
    m.setTenant(tenant);
    return m;
  }

  /** The site, generation and fleet groups handed on (workload and tenant ones have their own test). */
  private List<StreamRecord<RollUpAccumulator>> records() {
    List<StreamRecord<RollUpAccumulator>> main = all().stream().filter(r -> r.getValue().level != AggregationLevel.WORKLOAD
        && r.getValue().level != AggregationLevel.TENANT).toList();
    assertThat(harness.getOutput().stream().filter(o -> o instanceof StreamRecord<?>).count())
        .as("the main output holds only the site, generation and fleet cells").isEqualTo(main.size());
    return main;
  }

  /** The main output, then the workload and tenant cells of the side output. */
  private List<StreamRecord<RollUpAccumulator>> all() {
    List<StreamRecord<RollUpAccumulator>> out = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        @SuppressWarnings("unchecked") StreamRecord<RollUpAccumulator> typed = (StreamRecord<RollUpAccumulator>) r;
        out.add(typed);
      }
    }
    var attributed = harness.getSideOutput(LocalRollUp.ATTRIBUTED);
    if (attributed != null) out.addAll(attributed);
    return out;
  }

  @Test
  void eachWindowCountsInExactlyOneWorkloadAndOneTenantCell() throws Exception {
    List<WindowMetrics> in = List.of(
        ultraserver(1, T0, "us-in", "trn2", "train-00001", "search"),
        ultraserver(2, T0, "us-in", "trn2", "train-00001", "search"),
        ultraserver(3, T0, "us-in", "trn2", "serve-00002", "research"),
        ultraserver(4, T0, "us-pa", "trn2", "train-00001", "search"),
        ultraserver(5, T0, "us-pa", "trn2", "unplaced", "unplaced"),
        ultraserver(6, T0, "us-pa", "trn2"));
    for (WindowMetrics m : in) send(m);
    harness.processWatermark(new Watermark(T0 + MINUTE - 1));

    java.util.Map<String, MetricSums> groups = new java.util.HashMap<>();
    for (StreamRecord<RollUpAccumulator> r : all()) {
      if (r.getValue().level != AggregationLevel.WORKLOAD && r.getValue().level != AggregationLevel.TENANT) continue;
      assertThat(groups.put(r.getValue().getKey(), r.getValue().sums)).as("one cell per group").isNull();
    }
    assertThat(groups.keySet()).contains("WORKLOAD|train-00001|search", "WORKLOAD|serve-00002|research",
        "WORKLOAD|unplaced|unplaced", "TENANT|search", "TENANT|research", "TENANT|unplaced");
    assertThat(groups.get("WORKLOAD|train-00001|search").ultraservers).isEqualTo(3);
    // The window without attribution is unplaced too: nothing falls outside the partition.
    assertThat(groups.get("WORKLOAD|unplaced|unplaced").ultraservers).isEqualTo(2);
    double costOfAll = in.stream().mapToDouble(WindowMetrics::getCostUsd).sum();
    double workloadCost = groups.entrySet().stream().filter(e -> e.getKey().startsWith("WORKLOAD|"))
        .mapToDouble(e -> e.getValue().costUsd).sum();
    double tenantCost = groups.entrySet().stream().filter(e -> e.getKey().startsWith("TENANT|"))
        .mapToDouble(e -> e.getValue().costUsd).sum();
    assertThat(workloadCost).isCloseTo(costOfAll, org.assertj.core.data.Offset.offset(1e-9 * costOfAll));
    assertThat(tenantCost).isCloseTo(costOfAll, org.assertj.core.data.Offset.offset(1e-9 * costOfAll));
    assertThat(groups.get("TENANT|search").samples).isEqualTo(in.get(0).getSamples() + in.get(1).getSamples()
        + in.get(3).getSamples());
    assertThat(org.apache.datasketches.kll.KllFloatsSketch.heapify(org.apache.datasketches.memory.Memory.wrap(
        groups.get("TENANT|search").utilizationSketch)).getN()).isEqualTo(3 * 384);
  }

  @Test
  void eachCellGoesOnceToItsSiteGenerationAndFleetJustBeforeTheWatermark() throws Exception {
    List<WindowMetrics> inIn = List.of(ultraserver(1, T0, "us-in", "trn2"), ultraserver(2, T0, "us-in", "trn2"),
        ultraserver(3, T0, "us-in", "trn2"));
    List<WindowMetrics> inPa = List.of(ultraserver(4, T0, "us-pa", "trn2"));
    for (int i = 0; i < 3; i++) send(inIn.get(i));
    send(inPa.get(0));
    assertThat(harness.getOutput()).as("nothing goes on before the watermark").isEmpty();

    harness.processWatermark(new Watermark(T0 + MINUTE - 1));

    List<StreamRecord<RollUpAccumulator>> out = records();
    assertThat(out).hasSize(6);
    assertThat(new ArrayList<>(harness.getOutput())).last().isEqualTo(new Watermark(T0 + MINUTE - 1));
    assertThat(out).allSatisfy(r -> assertThat(r.getTimestamp()).isEqualTo(T0 + MINUTE - 1));
    assertThat(out).extracting(r -> r.getValue().getKey()).containsExactly(
        "SITE|us-in", "GENERATION|trn2", "FLEET|fleet", "SITE|us-pa", "GENERATION|trn2", "FLEET|fleet");
    MetricSums cell = out.get(0).getValue().sums;
    assertThat(cell.ultraservers).isEqualTo(3);
    assertThat(cell.powerSumW).isCloseTo(inIn.stream().mapToDouble(WindowMetrics::getPowerSumW).sum(),
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(cell.samples).isEqualTo(3 * 384);
    assertThat(org.apache.datasketches.kll.KllFloatsSketch.heapify(
        org.apache.datasketches.memory.Memory.wrap(cell.utilizationSketch)).getN()).isEqualTo(3 * 384);
    assertThat(out.get(3).getValue().sums.ultraservers).isEqualTo(1);
  }

  @Test
  void windowsOfDifferentMinutesAreDifferentCells() throws Exception {
    send(ultraserver(1, T0, "us-in", "trn2"));
    send(ultraserver(1, T0 + MINUTE, "us-in", "trn2"));
    harness.processWatermark(new Watermark(T0 + 2 * MINUTE - 1));
    assertThat(records()).hasSize(6).extracting(StreamRecord::getTimestamp)
        .containsExactly(T0 + MINUTE - 1, T0 + MINUTE - 1, T0 + MINUTE - 1,
            T0 + 2 * MINUTE - 1, T0 + 2 * MINUTE - 1, T0 + 2 * MINUTE - 1);
  }

  @Test
  void nothingIsHeldAcrossACheckpointBarrierOrTheEndOfInput() throws Exception {
    send(ultraserver(1, T0, "us-in", "trn2"));
    harness.prepareSnapshotPreBarrier(1);
    assertThat(records()).as("handed on before the barrier").hasSize(3);
    send(ultraserver(2, T0, "us-in", "trn2"));
    harness.endInput();
    harness.getOneInputOperator().finish();
    assertThat(records()).as("handed on at the end of input").hasSize(6);
    harness.processWatermark(new Watermark(T0 + MINUTE - 1));
    assertThat(records()).as("each cell once").hasSize(6);
  }
}
