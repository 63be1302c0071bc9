package io.fleetpulse.jobs.alerts;

import static io.fleetpulse.jobs.alerts.AlertFixtures.Chip;
import static io.fleetpulse.jobs.alerts.AlertFixtures.MINUTE;
import static io.fleetpulse.jobs.alerts.AlertFixtures.T0;
import static io.fleetpulse.jobs.alerts.AlertFixtures.chips;
import static io.fleetpulse.jobs.alerts.AlertFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fleetpulse.jobs.window.ChipWindowStats;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.WorkloadKind;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UltraServer alert rules on Flink's keyed operator harness: state and event-time timers driven by hand. */
class UltraServerHealthDetectorTest {

  static final AlertRules RULES = new AlertRules(3, 0.8, 0.3, 2, 10, 100, 0.95, 0.3, 0.95);
  static final double TRN2_PRICE = 35.76 / 16;

  KeyedOneInputStreamOperatorTestHarness<Integer, ChipWindowStats, Alert> harness;

  @BeforeEach
  void open() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new UltraServerHealthDetector(RULES, AlertFixtures.FACTORS)),
        s -> s.ultraserverId, Types.INT);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  void send(ChipWindowStats s) throws Exception {
    harness.processElement(s, s.windowEnd - 1);
    harness.processWatermark(s.windowEnd - 1);
  }

  List<Alert> alerts() {
    return harness.extractOutputValues();
  }

  @Test
  void aChipMissingTwoWindowsIsSilentUntilItReportsAgain() throws Exception {
    send(window(1, 3, WorkloadKind.TRAINING, 0, chips(64, 3, Chip::busy)));
    send(window(1, 3, WorkloadKind.TRAINING, 1, chips(64, 2, Chip::busy)));
    assertThat(alerts()).isEmpty();
    send(window(1, 3, WorkloadKind.TRAINING, 2, chips(64, 2, Chip::busy)));
    send(window(1, 3, WorkloadKind.TRAINING, 3, chips(64, 3, Chip::busy)));
    assertThat(alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    Alert resolved = alerts().get(1);
    assertThat(resolved.getKind()).isEqualTo(AlertKind.CHIP_SILENT);
    assertThat(resolved.getAlertId()).isEqualTo(alerts().get(0).getAlertId());
    assertThat(resolved.getChipIds()).containsExactly(66);
    assertThat(resolved.getStartTime().toEpochMilli()).isEqualTo(T0 + MINUTE);
    assertThat(resolved.getEndTime().toEpochMilli()).isEqualTo(T0 + 3 * MINUTE);
    assertThat(resolved.getWastedCostUsd()).isCloseTo(2 * TRN2_PRICE / 60, offset(1e-12)); // 2 chip-minutes
    assertThat(resolved.getWastedEnergyKwh()).isZero();
  }

  @Test
  void anUltraServerThatGoesQuietIsCaughtByAnEventTimeTimer() throws Exception {
    send(window(2, -1, WorkloadKind.INFERENCE, 0, chips(128, 64, id -> new Chip(id, 0.5, 325, 50, 0, 0))));
    harness.processWatermark(T0 + 3 * MINUTE - 2);
    assertThat(alerts()).isEmpty();
    harness.processWatermark(T0 + 3 * MINUTE - 1); // two whole windows without a word
    assertThat(alerts()).singleElement().satisfies(a -> {
      assertThat(a.getKind()).isEqualTo(AlertKind.CHIP_SILENT);
      assertThat(a.getSeverity()).isEqualTo(AlertSeverity.CRITICAL);
      assertThat(a.getChipIds()).hasSize(64);
      assertThat(a.getStartTime().toEpochMilli()).isEqualTo(T0 + MINUTE);
    });
    send(window(2, -1, WorkloadKind.INFERENCE, 5, chips(128, 64, id -> new Chip(id, 0.5, 325, 50, 0, 0))));
    Alert back = alerts().get(1);
    assertThat(back.getStatus()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(back.getEndTime().toEpochMilli()).isEqualTo(T0 + 5 * MINUTE);
    assertThat(back.getWastedCostUsd()).isCloseTo(64 * 4 * TRN2_PRICE / 60, offset(1e-9)); // 64 chips x 4 min
  }

  @Test
  void anUltraServerSilentForADayIsTakenOutOfServiceAndForgotten() throws Exception {
    send(window(2, -1, WorkloadKind.INFERENCE, 0, chips(128, 64, id -> new Chip(id, 0.5, 325, 50, 0, 0))));
    harness.processWatermark(T0 + 3 * MINUTE - 1);
    assertThat(alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN);
    assertThat(harness.numKeyedStateEntries()).isPositive();
    harness.processWatermark(T0 + MINUTE + 86_400_000L - 1);
    assertThat(alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    Alert ended = alerts().get(1);
    assertThat(ended.getEndTime().toEpochMilli()).isEqualTo(T0 + MINUTE + 86_400_000L);
    assertThat(ended.getWastedCostUsd()).isCloseTo(64 * 24 * 60 * TRN2_PRICE / 60, offset(1e-6)); // 64 chips, a day
    assertThat(harness.numKeyedStateEntries()).as("nothing left of the UltraServer").isZero();
  }

  /**
   * With allowed lateness every window comes that much after its end: an UltraServer that reports every minute is
   * not silent, and one that stops is silent from the same window on as without lateness.
   */
  @Test
  void withAllowedLatenessSilenceIsCountedInWindowsNotInTheirLateness() throws Exception {
    harness.close();
    long lateness = 2 * MINUTE; // longer than the 2 silent windows less one
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new UltraServerHealthDetector(RULES, AlertFixtures.FACTORS, lateness)),
        s -> s.ultraserverId, Types.INT);
    harness.open();
    // Event time moves in 10 s steps; windows 0..4 each come once the watermark passes their end plus the lateness.
    int sent = 0;
    for (long t = T0; t <= T0 + 5 * MINUTE + lateness; t += 10_000) {
      while (sent < 5 && T0 + (sent + 1) * MINUTE - 1 + lateness <= t) {
        ChipWindowStats s = window(2, -1, WorkloadKind.INFERENCE, sent,
            chips(128, 64, id -> new Chip(id, 0.5, 325, 50, 0, 0)));
        harness.processElement(s, s.windowEnd - 1 + lateness);
        sent++;
      }
      harness.processWatermark(t);
    }
    assertThat(alerts()).as("reporting every minute").isEmpty();
    // It stops after window 4: silent once windows 5 and 6 are over, and their lateness.
    harness.processWatermark(T0 + 7 * MINUTE - 1 + lateness - 1);
    assertThat(alerts()).isEmpty();
    harness.processWatermark(T0 + 7 * MINUTE - 1 + lateness);
    assertThat(alerts()).singleElement().satisfies(a -> {
      assertThat(a.getStatus()).isEqualTo(AlertStatus.OPEN);
      assertThat(a.getKind()).isEqualTo(AlertKind.CHIP_SILENT);
      assertThat(a.getStartTime().toEpochMilli()).isEqualTo(T0 + 5 * MINUTE);
      assertThat(a.getUpdatedTime().toEpochMilli()).as("silent for its 2 windows").isEqualTo(T0 + 7 * MINUTE);
    });
  }

  @Test
  void withoutALayoutAKeyThatSentOneWindowIsAStrayNotASilence() throws Exception {
    harness.close();
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new UltraServerHealthDetector(new AlertRules(3, 0.8, 0.3, 2, 10, 100, 0.95, 0.3,
            0.95, 2), AlertFixtures.FACTORS)), s -> s.ultraserverId, Types.INT);
    harness.open();
    send(window(9_999, -1, WorkloadKind.INFERENCE, 0, chips(9_999 * 64, 1, id -> new Chip(id, 0.5, 325, 50, 0, 0))));
    harness.processWatermark(T0 + 10 * MINUTE);
    assertThat(alerts()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void theEndOfTheInputIsNotSilence() throws Exception {
    send(window(2, -1, WorkloadKind.INFERENCE, 0, chips(128, 4, id -> new Chip(id, 0.5, 325, 50, 0, 0))));
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(alerts()).isEmpty();
  }

  @Test
  void eccBurstsCountAcrossWindowsAndSurviveCounterResets() throws Exception {
    send(window(3, 1, WorkloadKind.TRAINING, 0, new Chip(192, 0.9, 460, 84, 10, 0)));
    send(window(3, 1, WorkloadKind.TRAINING, 1, new Chip(192, 0.9, 460, 84, 60, 0))); // +50: background
    assertThat(alerts()).isEmpty();
    send(window(3, 1, WorkloadKind.TRAINING, 2, new Chip(192, 0.9, 460, 84, 560, 0))); // +500: a burst
    send(window(3, 1, WorkloadKind.TRAINING, 3, new Chip(192, 0.9, 460, 84, 7, 0))); // driver reload: 0 -> 7
    assertThat(alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    assertThat(alerts().get(0).getObserved()).isEqualTo(500);
    assertThat(alerts().get(0).getSeverity()).isEqualTo(AlertSeverity.WARNING);
    send(window(3, 1, WorkloadKind.TRAINING, 4, new Chip(192, 0.9, 460, 84, 9, 1)));
    assertThat(alerts().get(2)).satisfies(a -> {
      assertThat(a.getKind()).isEqualTo(AlertKind.ECC_BURST);
      assertThat(a.getSeverity()).isEqualTo(AlertSeverity.CRITICAL);
      assertThat(a.getStatus()).isEqualTo(AlertStatus.OPEN);
    });
  }

  @Test
  void aFlatPowerTopBelowRatedMaxIsACap() throws Exception {
    for (int w = 0; w < 3; w++) {
      send(window(4, 2, WorkloadKind.TRAINING, w, chips(256, 8, id -> new Chip(id, 0.71, 400, 84, 0, 0, 400))));
    }
    send(window(4, 2, WorkloadKind.TRAINING, 3, chips(256, 8, Chip::busy)));
    assertThat(alerts()).extracting(Alert::getKind).containsOnly(AlertKind.POWER_CAP);
    Alert resolved = alerts().get(1);
    assertThat(resolved.getObserved()).isEqualTo(400);
    // 8 chips x 3 min at $2.235/h, of which (500 - 400) / (500 - 150) is withheld by the cap.
    assertThat(resolved.getWastedCostUsd()).isCloseTo(8 * 3 * TRN2_PRICE / 60 * 100 / 350, offset(1e-9));
  }

  @Test
  void aCheckpointInsideACapNeitherEndsItNorCountsAsCapped() throws Exception {
    IntFunction<Chip> capped = id -> new Chip(id, 0.71, 400, 84, 0, 0, 400);
    for (int w = 0; w < 3; w++) send(window(4, 2, WorkloadKind.TRAINING, w, chips(256, 8, capped)));
    // The job writes a checkpoint: chips at 10%, far below the cap, for two windows.
    for (int w = 3; w < 5; w++) {
      send(window(4, 2, WorkloadKind.TRAINING, w, chips(256, 8, id -> new Chip(id, 0.10, 190, 84, 0, 0))));
    }
    send(window(4, 2, WorkloadKind.TRAINING, 5, chips(256, 8, capped)));
    send(window(4, 2, WorkloadKind.TRAINING, 6, chips(256, 8, Chip::busy)));

    assertThat(alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    Alert resolved = alerts().get(1);
    assertThat(resolved.getAlertId()).isEqualTo(alerts().get(0).getAlertId());
    assertThat(resolved.getStartTime().toEpochMilli()).isEqualTo(T0);
    assertThat(resolved.getEndTime().toEpochMilli()).isEqualTo(T0 + 6 * MINUTE);
    // Waste from the four capped windows only: 8 chips x 4 min, (500 - 400) / (500 - 150) withheld.
    assertThat(resolved.getWastedCostUsd()).isCloseTo(8 * 4 * TRN2_PRICE / 60 * 100 / 350, offset(1e-9));
  }

  @Test
  void runningAtRatedMaxIsNoCap() throws Exception {
    for (int w = 0; w < 4; w++) {
      send(window(4, 2, WorkloadKind.TRAINING, w, chips(256, 8, id -> new Chip(id, 1.0, 500, 84, 0, 0, 500))));
    }
    assertThat(alerts()).isEmpty();
  }

  @Test
  void reservedButIdleAfterTenWindowsWithItsFullCost() throws Exception {
    for (int w = 0; w < 10; w++) {
      send(window(5, -1, WorkloadKind.RESERVED_IDLE, w, chips(320, 64, id -> new Chip(id, 0.01, 153.5, 1, 0, 0))));
    }
    assertThat(alerts()).singleElement().satisfies(a -> {
      assertThat(a.getKind()).isEqualTo(AlertKind.RESERVED_IDLE);
      assertThat(a.getStatus()).isEqualTo(AlertStatus.OPEN);
      assertThat(a.getWastedCostUsd()).isCloseTo(64 * 10 * TRN2_PRICE / 60, offset(1e-9));
      // 64 chips x 153.5 W x 600 s x PUE 1.15, and eGRID RFCW 416 g/kWh for Indiana
      double joulesPerWindow = 0;
      for (Chip c : chips(320, 64, id -> new Chip(id, 0.01, 153.5, 1, 0, 0))) {
        for (int k = 0; k < 6; k++) joulesPerWindow += c.power(k) * 10;
      }
      double kwh = 10 * joulesPerWindow / 3.6e6 * 1.15;
      assertThat(a.getWastedEnergyKwh()).isCloseTo(kwh, offset(1e-9));
      assertThat(a.getWastedCarbonKg()).isCloseTo(kwh * 0.416, offset(1e-9));
    });
  }

  @Test
  void hbmPressureNeedsThreeFullWindows() throws Exception {
    for (int w = 0; w < 3; w++) {
      send(window(6, 9, WorkloadKind.TRAINING, w, chips(384, 4, id -> new Chip(id, 0.9, 460, 92, 0, 0))));
    }
    assertThat(alerts()).singleElement().satisfies(a -> {
      assertThat(a.getKind()).isEqualTo(AlertKind.HBM_PRESSURE);
      assertThat(a.getObserved()).isCloseTo(92 / 96.0, offset(1e-12));
    });
  }
}
