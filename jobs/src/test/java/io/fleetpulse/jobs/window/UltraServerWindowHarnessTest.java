package io.fleetpulse.jobs.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.jobs.MetricSumsTest;
import io.fleetpulse.jobs.factors.MetricFactors;
import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.schema.AvroCodec;
import io.fleetpulse.schema.DeadLetterReason;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The UltraServer windows as the pipeline builds them ({@link UltraServerWindows}: tumbling event-time windows,
 * allowed lateness, late and duplicate side outputs), driven by hand through Flink's operator harness: records,
 * watermarks and snapshots happen exactly when the test says. The window operator's own semantics
 * (EventTimeTrigger, allowed lateness) are what the first tests hold it to.
 */
class UltraServerWindowHarnessTest {

  static final long T0 = 1_795_615_200_000L; // 2026-11-25T14:00:00Z, a minute boundary
  private KeyedOneInputStreamOperatorTestHarness<Integer, ChipReading, WindowMetrics> harness;

  @BeforeEach
  void open() throws Exception {
    harness = harness(Duration.ZERO);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static KeyedOneInputStreamOperatorTestHarness<Integer, ChipReading, WindowMetrics> harness(Duration lateness)
      throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new UltraServerWindows(60_000,
        10_000, lateness.toMillis(), true, MetricFactors.from(FleetConfigLoader.defaults()))),
        ChipReading::getUltraserverId, Types.INT);
  }

  static StreamRecord<ChipReading> reading(int us, int chip, long t, double utilization) {
    ChipReading r = MetricSumsTest.reading(chip, utilization, 300, 0.2, 40);
    r.ultraserverId = us;
    r.site = "us-in";
    r.eventTime = t;
    return new StreamRecord<>(r, t);
  }

  List<WindowMetrics> emitted() {
    return harness.extractOutputValues();
  }

  /** The samples the windows counted, as passed on to the raw archive. */
  List<ChipReading> counted() {
    var out = harness.getSideOutput(UltraServerWindows.COUNTED);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void aWindowFiresOnlyWhenTheWatermarkPassesItsEnd() throws Exception {
    harness.processElement(reading(7, 448, T0 + 5_000, 0.5));
    harness.processElement(reading(7, 449, T0 + 59_999, 0.7));
    harness.processElement(reading(7, 448, T0 + 60_000, 0.9)); // next window
    harness.processWatermark(T0 + 59_998);
    assertThat(emitted()).isEmpty();
    harness.processWatermark(T0 + 59_999);
    assertThat(emitted()).singleElement().satisfies(m -> {
      assertThat(m.getUltraserverId()).isEqualTo(7);
      assertThat(m.getWindowStart().toEpochMilli()).isEqualTo(T0);
      assertThat(m.getSamples()).isEqualTo(2);
      assertThat(m.getChipsReporting()).isEqualTo(2);
      assertThat(m.getUtilizationAvg()).isEqualTo(0.6);
    });
  }

  @Test
  void aReadingForAClosedWindowGoesToTheLateSideOutputAndIsDeadLettered() throws Exception {
    harness.processElement(reading(3, 192, T0 + 1_000, 0.5));
    harness.processWatermark(T0 + 60_000);
    harness.processElement(reading(3, 193, T0 + 30_000, 0.4)); // its window has fired
    assertThat(emitted()).hasSize(1);
    assertThat(emitted().get(0).getSamples()).isEqualTo(1);
    var late = harness.getSideOutput(UltraServerWindows.LATE);
    assertThat(late).hasSize(1);
    ChipReading r = late.peek().getValue();
    DeadLetter d = new ReadingToDeadLetter(DeadLetterReason.LATE).toDeadLetter(r);
    assertThat(d.reason).isEqualTo(DeadLetterReason.LATE);
    assertThat(AvroCodec.CHIP_SAMPLE.decode(d.value).getChipId()).isEqualTo(193);
    assertThat(new String(d.key)).isEqualTo("3");
  }

  /** Every output is final: a window with allowed lateness goes out once, with its stragglers, when it can take no more. */
  @Test
  void withAllowedLatenessAWindowGoesOutOnceWithItsStragglersWhenItCanTakeNoMore() throws Exception {
    harness.close();
    harness = harness(Duration.ofSeconds(30));
    harness.open();
    harness.processElement(reading(3, 192, T0 + 1_000, 0.5));
    harness.processWatermark(T0 + 60_000);
    assertThat(emitted()).as("nothing early").isEmpty();
    harness.processElement(reading(3, 193, T0 + 30_000, 0.3));
    // Across a checkpoint: the straggler and the window's timer are state.
    var snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = harness(Duration.ofSeconds(30));
    harness.initializeState(snapshot);
    harness.open();
    harness.processWatermark(T0 + 59_999 + 30_000 - 1);
    assertThat(emitted()).isEmpty();
    harness.processWatermark(T0 + 59_999 + 30_000);
    assertThat(emitted()).extracting(WindowMetrics::getSamples).containsExactly(2L);
    assertThat(harness.getSideOutput(UltraServerWindows.LATE)).isNull();
    // Closed: a sample for it now is late, and nothing goes out again.
    harness.processElement(reading(3, 194, T0 + 40_000, 0.3));
    harness.processWatermark(T0 + 200_000);
    assertThat(emitted()).hasSize(1);
    assertThat(harness.getSideOutput(UltraServerWindows.LATE)).hasSize(1);
  }

  static StreamRecord<ChipReading> labelled(int us, int chip, long t, int workload, String tenant) {
    StreamRecord<ChipReading> r = reading(us, chip, t, 0.5);
    r.getValue().workloadId = workload;
    r.getValue().tenant = tenant;
    return r;
  }

  /**
   * Oracle: the default fleet's layout (which workload and tenant the config gives). Each window goes to the label
   * most of its samples carry; labels the config does not know go to unknown; every sample is counted either way.
   */
  @Test
  void eachWindowIsChargedToTheLabelMostOfItsSamplesCarry() throws Exception {
    FleetLayout layout = new FleetLayout(FleetConfigLoader.defaults());
    String owner = layout.tenantOf(0);
    String other = layout.tenantIds().stream().filter(t -> !t.equals(owner)).findFirst().orElseThrow();
    // UltraServer 1: three unlabelled samples of workload 0 and one of a tenant nobody configured.
    for (int chip = 64; chip < 67; chip++) harness.processElement(labelled(1, chip, T0 + 1_000, 0, null));
    harness.processElement(labelled(1, 67, T0 + 1_000, 0, "mallory"));
    // 2: a workload id the fleet does not have, labelled with a configured tenant.
    for (int chip = 128; chip < 131; chip++) harness.processElement(labelled(2, chip, T0 + 1_000, 9_999_999, other));
    // 3: no workload; 4: the config's workload under another configured tenant (the label wins); 5: a tie.
    harness.processElement(labelled(3, 192, T0 + 1_000, -1, null));
    harness.processElement(labelled(4, 256, T0 + 1_000, 0, other));
    harness.processElement(labelled(5, 320, T0 + 1_000, 0, "mallory"));
    harness.processElement(labelled(5, 321, T0 + 1_000, 0, null));
    var snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = harness(Duration.ZERO);
    harness.initializeState(snapshot);
    harness.open();
    harness.processWatermark(T0 + 60_000);

    Map<Integer, WindowMetrics> byUs = emitted().stream()
        .collect(Collectors.toMap(WindowMetrics::getUltraserverId, m -> m));
    String job = layout.workloadName(0);
    assertThat(byUs.get(1)).extracting(WindowMetrics::getWorkload, WindowMetrics::getTenant, WindowMetrics::getSamples)
        .containsExactly(job, owner, 4L);
    assertThat(byUs.get(2)).extracting(WindowMetrics::getWorkload, WindowMetrics::getTenant)
        .containsExactly("unknown", other);
    assertThat(byUs.get(3)).extracting(WindowMetrics::getWorkload, WindowMetrics::getTenant)
        .containsExactly("unplaced", "unplaced");
    assertThat(byUs.get(4)).extracting(WindowMetrics::getWorkload, WindowMetrics::getTenant)
        .containsExactly(job, other);
    // A tie goes to the label that sorts first (unlabelled before any tenant), whatever the arrival order.
    assertThat(byUs.get(5)).extracting(WindowMetrics::getTenant, WindowMetrics::getSamples)
        .containsExactly(owner, 2L);
  }

  @Test
  void openWindowsSurviveASnapshotAndRestore() throws Exception {
    harness.processElement(reading(1, 64, T0 + 2_000, 0.2));
    harness.processElement(reading(2, 128, T0 + 3_000, 0.4));
    var snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(Duration.ZERO);
    harness.initializeState(snapshot);
    harness.open();
    harness.processElement(reading(1, 65, T0 + 4_000, 0.6));
    harness.processWatermark(T0 + 60_000);
    assertThat(emitted().stream().collect(Collectors.toMap(WindowMetrics::getUltraserverId, WindowMetrics::getSamples)))
        .containsEntry(1, 2L).containsEntry(2, 1L).hasSize(2);
  }

  @Test
  void aSecondSampleOfAChipForTheSameIntervalIsADuplicate() throws Exception {
    harness.processElement(reading(7, 448, T0 + 5_000, 0.5));
    harness.processElement(reading(7, 448, T0 + 5_000, 0.5)); // replayed as is
    harness.processElement(reading(7, 448, T0 + 9_999, 0.5)); // the same 10 s interval, another stamp
    harness.processElement(reading(7, 448, T0 + 10_000, 0.5)); // the next interval: counts
    harness.processElement(reading(7, 449, T0 + 5_000, 0.5)); // another chip: counts
    harness.processElement(reading(8, 448, T0 + 5_000, 0.5)); // another UltraServer's key: its own
    assertThat(counted()).extracting(r -> r.chipId + "@" + (r.eventTime - T0))
        .containsExactly("448@5000", "448@10000", "449@5000", "448@5000");
    assertThat(harness.getSideOutput(UltraServerWindows.DUPLICATES)).extracting(r -> r.getValue().eventTime - T0)
        .containsExactly(5_000L, 9_999L);
    DeadLetter d = new ReadingToDeadLetter(DeadLetterReason.DUPLICATE)
        .toDeadLetter(harness.getSideOutput(UltraServerWindows.DUPLICATES).peek().getValue());
    assertThat(d.reason).isEqualTo(DeadLetterReason.DUPLICATE);
    assertThat(d.detail).startsWith("chip 448 already has a sample for the interval");
  }

  @Test
  void aReadingForAClosedWindowIsLateAndTheWindowsStateIsGone() throws Exception {
    harness.processElement(reading(3, 192, T0 + 1_000, 0.5));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    harness.processWatermark(T0 + 59_999);
    assertThat(harness.numKeyedStateEntries()).as("the closed window is dropped").isZero();
    harness.processElement(reading(3, 193, T0 + 30_000, 0.5));
    harness.processElement(reading(3, 192, T0 + 1_000, 0.5)); // late, not a duplicate: its window is gone
    assertThat(harness.getSideOutput(UltraServerWindows.LATE)).extracting(r -> r.getValue().chipId).containsExactly(193, 192);
    assertThat(harness.getSideOutput(UltraServerWindows.DUPLICATES)).isNull();
    harness.processElement(reading(3, 192, T0 + 60_000, 0.5)); // the next window is open
    assertThat(counted()).hasSize(2);
  }

  @Test
  void allowedLatenessKeepsAWindowOpenForStragglersAndItsDuplicates() throws Exception {
    harness.close();
    harness = harness(Duration.ofSeconds(30));
    harness.open();
    harness.processElement(reading(3, 192, T0 + 1_000, 0.5));
    harness.processWatermark(T0 + 60_000);
    harness.processElement(reading(3, 193, T0 + 30_000, 0.5)); // within the lateness: counts
    harness.processElement(reading(3, 192, T0 + 1_000, 0.5)); // still a duplicate
    assertThat(counted()).hasSize(2);
    assertThat(harness.getSideOutput(UltraServerWindows.DUPLICATES)).hasSize(1);
    harness.processWatermark(T0 + 89_999);
    assertThat(emitted()).extracting(WindowMetrics::getSamples).as("once, with the straggler").containsExactly(2L);
    harness.processElement(reading(3, 194, T0 + 2_000, 0.5));
    assertThat(harness.getSideOutput(UltraServerWindows.LATE)).hasSize(1);
  }

  @Test
  void duplicatesAreRecognisedAcrossASnapshotAndRestore() throws Exception {
    harness.processElement(reading(1, 64, T0 + 2_000, 0.5));
    var snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = harness(Duration.ZERO);
    harness.initializeState(snapshot);
    harness.open();
    harness.processElement(reading(1, 64, T0 + 2_000, 0.5));
    assertThat(counted()).isEmpty();
    assertThat(harness.getSideOutput(UltraServerWindows.DUPLICATES)).hasSize(1);
  }
}
