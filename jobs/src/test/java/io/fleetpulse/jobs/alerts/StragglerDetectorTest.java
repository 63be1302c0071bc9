package io.fleetpulse.jobs.alerts;

import static io.fleetpulse.jobs.alerts.AlertFixtures.Chip;
import static io.fleetpulse.jobs.alerts.AlertFixtures.chips;
import static io.fleetpulse.jobs.alerts.AlertFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fleetpulse.jobs.window.ChipWindowStats;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.WorkloadKind;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StragglerDetectorTest {

  static final int JOB = 17;
  KeyedOneInputStreamOperatorTestHarness<Integer, ChipWindowStats, Alert> harness;

  @BeforeEach
  void open() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new StragglerDetector(UltraServerHealthDetectorTest.RULES, AlertFixtures.FACTORS)),
        s -> s.workloadId, Types.INT);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** One window of a two-UltraServer job; chip 70 (on the second UltraServer) runs at {@code slow}. */
  void jobWindow(int w, double peers, double slow) throws Exception {
    ChipWindowStats a = window(0, JOB, WorkloadKind.TRAINING, w, chips(0, 64, id -> new Chip(id, peers, 458, 84, 0, 0)));
    ChipWindowStats b = window(1, JOB, WorkloadKind.TRAINING, w,
        chips(64, 64, id -> new Chip(id, id == 70 ? slow : peers, 458, 84, 0, 0)));
    harness.processElement(b, b.windowEnd - 1); // arrival order across UltraServers does not matter
    harness.processElement(a, a.windowEnd - 1);
    harness.processWatermark(a.windowEnd - 1);
  }

  @Test
  void aChipWellBelowItsJobsMedianForThreeWindowsIsAStraggler() throws Exception {
    jobWindow(0, 0.88, 0.50);
    jobWindow(1, 0.88, 0.50);
    assertThat(harness.extractOutputValues()).isEmpty();
    jobWindow(2, 0.88, 0.50);
    jobWindow(3, 0.04, 0.04); // the job checkpoints: not judged, the alert stays open
    jobWindow(4, 0.88, 0.50);
    jobWindow(5, 0.88, 0.86);
    assertThat(harness.extractOutputValues()).extracting(Alert::getStatus)
        .containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    Alert resolved = harness.extractOutputValues().get(1);
    assertThat(resolved.getKind()).isEqualTo(AlertKind.STRAGGLER);
    assertThat(resolved.getChipIds()).containsExactly(70);
    assertThat(resolved.getWorkloadId()).isEqualTo(JOB);
    assertThat(resolved.getUltraserverId()).isEqualTo(1);
    assertThat(resolved.getEndTime().toEpochMilli()).isEqualTo(AlertFixtures.T0 + 5 * AlertFixtures.MINUTE);
    // Four judged windows of one chip at $2.235/h, short by 1 - 0.50/0.88 of its work.
    assertThat(resolved.getWastedCostUsd()).isCloseTo(4 * 2.235 / 60 * (1 - 0.50 / 0.88), offset(1e-12));
    assertThat(resolved.getThreshold()).isCloseTo(0.8 * 0.88, offset(1e-12));
  }

  /**
   * With allowed lateness a job's UltraServer windows come after their end, each when its subtask's watermark gets
   * there: a window is judged once all can have come, never on the first UltraServer alone.
   */
  @Test
  void withAllowedLatenessAJobsWindowIsJudgedOnceItsLatenessIsOver() throws Exception {
    harness.close();
    long lateness = 30_000;
    harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
        new StragglerDetector(UltraServerHealthDetectorTest.RULES, AlertFixtures.FACTORS, lateness)),
        s -> s.workloadId, Types.INT);
    harness.open();
    for (int w = 0; w < 3; w++) {
      // Two UltraServers of the job at 0.88 come first; the third, all of it at 0.50, comes later. Alone, each
      // UltraServer is its own median and nobody straggles; together, the slow one's chips do.
      ChipWindowStats a = window(0, JOB, WorkloadKind.TRAINING, w, chips(0, 64, id -> new Chip(id, 0.88, 458, 84, 0, 0)));
      ChipWindowStats c = window(2, JOB, WorkloadKind.TRAINING, w,
          chips(128, 64, id -> new Chip(id, 0.88, 458, 84, 0, 0)));
      ChipWindowStats slow = window(1, JOB, WorkloadKind.TRAINING, w,
          chips(64, 64, id -> new Chip(id, 0.50, 458, 84, 0, 0)));
      harness.processElement(a, a.windowEnd - 1 + lateness);
      harness.processElement(c, c.windowEnd - 1 + lateness);
      harness.processWatermark(a.windowEnd - 1 + lateness / 2); // the other subtask's windows are still to come
      harness.processElement(slow, slow.windowEnd - 1 + lateness);
      harness.processWatermark(a.windowEnd - 1 + lateness);
    }
    assertThat(harness.extractOutputValues()).isNotEmpty().allSatisfy(alert -> {
      assertThat(alert.getStatus()).isEqualTo(AlertStatus.OPEN);
      assertThat(alert.getUltraserverId()).isEqualTo(1);
    });
  }

  @Test
  void chipsOfAPowerCappedUltraServerAreLeftToThePowerCapAlert() throws Exception {
    // Found on a 1M-chip day: a cap at 400 W pins chips at 0.714, around 0.8 of a busy job's median, and every
    // chip of a capped UltraServer flapped in and out of straggling with the job's noise.
    for (int w = 0; w < 5; w++) {
      ChipWindowStats free = window(0, JOB, WorkloadKind.TRAINING, w, chips(0, 64, id -> new Chip(id, 0.93, 475, 84, 0, 0)));
      ChipWindowStats capped = window(1, JOB, WorkloadKind.TRAINING, w,
          chips(64, 64, id -> new Chip(id, 0.714, 405, 84, 0, 0, 400)));
      harness.processElement(free, free.windowEnd - 1);
      harness.processElement(capped, capped.windowEnd - 1);
      harness.processWatermark(free.windowEnd - 1);
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aSlightlySlowChipIsNoStraggler() throws Exception {
    for (int w = 0; w < 5; w++) jobWindow(w, 0.88, 0.75);
    assertThat(harness.extractOutputValues()).isEmpty();
  }
}
