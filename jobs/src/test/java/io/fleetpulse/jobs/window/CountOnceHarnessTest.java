package io.fleetpulse.jobs.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.jobs.MetricSumsTest;
import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.jobs.source.DeadLetter;
import io.fleetpulse.schema.DeadLetterReason;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which readings count, driven by hand: duplicates per chip and interval, lateness, state that goes away. */
class CountOnceHarnessTest {

  static final long T0 = UltraServerWindowHarnessTest.T0;
  private KeyedOneInputStreamOperatorTestHarness<Integer, ChipReading, ChipReading> harness;

  static KeyedOneInputStreamOperatorTestHarness<Integer, ChipReading, ChipReading> harness(long latenessMs)
      throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CountOnce(60_000, 10_000, latenessMs)), ChipReading::getUltraserverId,
        Types.INT);
  }

  @BeforeEach
  void open() throws Exception {
    harness = harness(0);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static StreamRecord<ChipReading> reading(int us, int chip, long t) {
    ChipReading r = MetricSumsTest.reading(chip, 0.5, 300, 0.2, 40);
    r.ultraserverId = us;
    r.eventTime = t;
    return new StreamRecord<>(r, t);
  }

  @Test
  void aSecondSampleOfAChipForTheSameIntervalIsADuplicate() throws Exception {
    harness.processElement(reading(7, 448, T0 + 5_000));
    harness.processElement(reading(7, 448, T0 + 5_000)); // replayed as is
    harness.processElement(reading(7, 448, T0 + 9_999)); // the same 10 s interval, another stamp
    harness.processElement(reading(7, 448, T0 + 10_000)); // the next interval: counts
    harness.processElement(reading(7, 449, T0 + 5_000)); // another chip: counts
    harness.processElement(reading(8, 448, T0 + 5_000)); // another UltraServer's key: its own
    assertThat(harness.extractOutputValues()).extracting(r -> r.chipId + "@" + (r.eventTime - T0))
        .containsExactly("448@5000", "448@10000", "449@5000", "448@5000");
    assertThat(harness.getSideOutput(CountOnce.DUPLICATES)).extracting(r -> r.getValue().eventTime - T0)
        .containsExactly(5_000L, 9_999L);
    DeadLetter d = new ReadingToDeadLetter(DeadLetterReason.DUPLICATE)
        .toDeadLetter(harness.getSideOutput(CountOnce.DUPLICATES).peek().getValue());
    assertThat(d.reason).isEqualTo(DeadLetterReason.DUPLICATE);
    assertThat(d.detail).startsWith("chip 448 already has a sample for the interval");
  }

  @Test
  void aReadingForAClosedWindowIsLateAndTheWindowsStateIsGone() throws Exception {
    harness.processElement(reading(3, 192, T0 + 1_000));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    harness.processWatermark(T0 + 59_999);
    assertThat(harness.numKeyedStateEntries()).as("the closed window's slots are dropped").isZero();
    harness.processElement(reading(3, 193, T0 + 30_000));
    harness.processElement(reading(3, 192, T0 + 1_000)); // late, not a duplicate: its window is gone
    assertThat(harness.getSideOutput(CountOnce.LATE)).extracting(r -> r.getValue().chipId).containsExactly(193, 192);
    assertThat(harness.getSideOutput(CountOnce.DUPLICATES)).isNull();
    harness.processElement(reading(3, 192, T0 + 60_000)); // the next window is open
    assertThat(harness.extractOutputValues()).hasSize(2);
  }

  @Test
  void allowedLatenessKeepsAWindowOpenForStragglersAndItsDuplicates() throws Exception {
    harness.close();
    harness = harness(30_000);
    harness.open();
    harness.processElement(reading(3, 192, T0 + 1_000));
    harness.processWatermark(T0 + 60_000);
    harness.processElement(reading(3, 193, T0 + 30_000)); // within the lateness: counts
    harness.processElement(reading(3, 192, T0 + 1_000)); // still a duplicate
    assertThat(harness.extractOutputValues()).hasSize(2);
    assertThat(harness.getSideOutput(CountOnce.DUPLICATES)).hasSize(1);
    harness.processWatermark(T0 + 89_999);
    harness.processElement(reading(3, 194, T0 + 2_000));
    assertThat(harness.getSideOutput(CountOnce.LATE)).hasSize(1);
  }

  @Test
  void duplicatesAreRecognisedAcrossASnapshotAndRestore() throws Exception {
    harness.processElement(reading(1, 64, T0 + 2_000));
    var snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = harness(0);
    harness.initializeState(snapshot);
    harness.open();
    harness.processElement(reading(1, 64, T0 + 2_000));
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.getSideOutput(CountOnce.DUPLICATES)).hasSize(1);
  }
}
