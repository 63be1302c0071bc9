package io.fleetpulse.dashboard;

import static io.fleetpulse.dashboard.TestRecords.MINUTE;
import static io.fleetpulse.dashboard.TestRecords.T0;
import static io.fleetpulse.dashboard.TestRecords.alert;
import static io.fleetpulse.dashboard.TestRecords.rollup;
import static io.fleetpulse.dashboard.TestRecords.ultraserver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.WindowMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FleetBoardTest {

  private final FleetBoard board = new FleetBoard(5, 3);

  @Test
  void derivesFleetAndSitesFromUltraServerWindowsByAddingTheirSums() {
    List<WindowMetrics> records = List.of(
        ultraserver(T0, 1, "us-in", 0.9f, 0.8f, 0.7f),
        ultraserver(T0, 2, "us-in", 0.1f, 0.2f),
        ultraserver(T0, 3, "us-pa", 0.5f, 0.6f, 0.55f, 0.4f));
    records.forEach(board::accept);

    Views.WindowView w = single(board.drainChangedWindows());
    assertThat(w.windowStart()).isEqualTo(T0);
    assertThat(w.windowEnd()).isEqualTo(T0 + MINUTE);
    assertSummaryIsSumOf(w.fleet(), records);
    assertThat(w.fleet().source()).isEqualTo(Views.Source.DERIVED);
    assertThat(w.sites()).extracting(Views.Summary::id).containsExactly("us-in", "us-pa");
    assertSummaryIsSumOf(w.sites().get(0), records.subList(0, 2));
    assertSummaryIsSumOf(w.sites().get(1), records.subList(2, 3));
  }

  @Test
  void fleetPercentileComesFromTheMergedSketchesWithinTheirRankError() {
    Random random = new Random(7);
    List<Float> all = new ArrayList<>();
    for (int us = 0; us < 40; us++) {
      float[] u = new float[64];
      // UltraServers differ a lot: the fleet p95 is not any one UltraServer's p95.
      for (int i = 0; i < u.length; i++) u[i] = (float) Math.min(1, random.nextDouble() * (us % 4 + 1) / 4);
      for (float x : u) all.add(x);
      board.accept(ultraserver(T0, us, "us-in", u));
    }
    double p95 = single(board.drainChangedWindows()).fleet().utilizationP95();

    long below = all.stream().filter(x -> x <= p95).count();
    // KLL k=200: normalized rank error about 1.3%; allow 2.5% around the 95th percentile's rank.
    assertThat(below / (double) all.size()).isCloseTo(0.95, within(0.025));
  }

  @Test
  void aRecordWithAnUnreadableSketchIsRefusedAndSpoilsNoPercentile() {
    WindowMetrics good = ultraserver(T0, 1, "us-in", 0.9f, 0.8f);
    WindowMetrics corrupt = WindowMetrics.newBuilder(ultraserver(T0, 2, "us-in", 0.1f, 0.2f))
        .setUtilizationSketch(java.nio.ByteBuffer.wrap(new byte[] {7, 7, 7})).build();
    board.accept(good);
    assertThatThrownBy(() -> board.accept(corrupt)).isInstanceOfSatisfying(RecordRejected.class,
        e -> assertThat(e.reason()).isEqualTo(SkipReason.BAD_VALUE));

    Views.Summary fleet = single(board.drainChangedWindows()).fleet();
    assertSummaryIsSumOf(fleet, List.of(good));
    assertThat(fleet.utilizationP95()).isCloseTo(0.9, within(1e-6));
  }

  @Test
  void rollUpsReplaceTheDerivedFiguresOfTheirGroupOnly() {
    board.accept(ultraserver(T0, 1, "us-in", 0.9f));
    board.accept(ultraserver(T0, 2, "us-pa", 0.2f));
    WindowMetrics fleetRollup = rollup(ultraserver(T0, 0, "x", 0.33f, 0.34f), AggregationLevel.FLEET, null);
    WindowMetrics siteRollup = rollup(ultraserver(T0, 0, "x", 0.5f, 0.5f, 0.5f), AggregationLevel.SITE, "us-pa");
    board.accept(fleetRollup);
    board.accept(siteRollup);

    Views.WindowView w = single(board.drainChangedWindows());
    assertThat(w.fleet().source()).isEqualTo(Views.Source.ROLLUP);
    assertSummaryIsSumOf(w.fleet(), List.of(fleetRollup));
    assertThat(w.sites()).extracting(Views.Summary::id, Views.Summary::source)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("us-in", Views.Source.DERIVED),
            org.assertj.core.groups.Tuple.tuple("us-pa", Views.Source.ROLLUP));
    assertSummaryIsSumOf(w.sites().get(1), List.of(siteRollup));
    // The ranking needs UltraServer records, whatever the roll-ups say.
    assertThat(w.wasteful()).extracting(Views.WasteRow::ultraserverId).containsExactly(2, 1);
  }

  @Test
  void anUltraServerWindowDeliveredTwiceCountsOnce() {
    WindowMetrics once = ultraserver(T0, 4, "us-in", 0.5f, 0.7f);
    WindowMetrics fleetRollup = rollup(once, AggregationLevel.FLEET, null);
    assertThat(board.accept(once)).isEqualTo(FleetBoard.Outcome.CHANGED);
    assertRejected(() -> board.accept(once), SkipReason.DUPLICATE, "UltraServer 4");
    // A repeat with other figures is no better: the first record of each UltraServer and roll-up counts.
    assertRejected(() -> board.accept(ultraserver(T0, 4, "us-in", 0.1f)), SkipReason.DUPLICATE, "UltraServer 4");
    board.accept(fleetRollup);
    assertRejected(() -> board.accept(fleetRollup), SkipReason.DUPLICATE, "fleet roll-up");

    Views.WindowView w = single(board.drainChangedWindows());
    assertSummaryIsSumOf(w.fleet(), List.of(once));
    assertSummaryIsSumOf(w.sites().get(0), List.of(once));
  }

  @Test
  void keepsTheNewestWindowsAndRefusesOlderOnes() {
    for (int i = 0; i < 8; i++) board.accept(ultraserver(T0 + i * MINUTE, 1, "us-in", 0.5f));
    assertThat(board.drainChangedWindows()).extracting(Views.WindowView::windowStart)
        .containsExactly(T0 + 3 * MINUTE, T0 + 4 * MINUTE, T0 + 5 * MINUTE, T0 + 6 * MINUTE, T0 + 7 * MINUTE);

    assertRejected(() -> board.accept(ultraserver(T0 + 2 * MINUTE, 2, "us-in", 0.5f)), SkipReason.TOO_OLD,
        "older than the 5 windows kept");
    // A late UltraServer of a window still kept is welcome.
    assertThat(board.accept(ultraserver(T0 + 3 * MINUTE, 2, "us-in", 0.5f))).isEqualTo(FleetBoard.Outcome.CHANGED);
    assertThat(board.hasChanges()).isTrue();
  }

  @Test
  void aRatioOverNothingIsNullNotZero() {
    board.accept(ultraserver(T0, 1, "us-in", 0f, 0f));
    Views.Summary fleet = single(board.drainChangedWindows()).fleet();

    assertThat(fleet.deliveredPflop()).isZero();
    assertThat(fleet.usdPerPflop()).isNull();
    assertThat(fleet.carbonLocationGPerPflop()).isNull();
    assertThat(fleet.pricePerfVsGpu()).isNull();
    assertThat(fleet.costUsd()).isPositive();
  }

  @Test
  void ranksUltraServersByTheCostOfTheirUnusedCapacity() {
    Random random = new Random(3);
    List<WindowMetrics> records = new ArrayList<>();
    for (int us = 0; us < 30; us++) {
      float[] u = new float[1 + random.nextInt(8)];
      for (int i = 0; i < u.length; i++) u[i] = random.nextFloat();
      records.add(ultraserver(T0, us, "us-ms", u));
    }
    records.forEach(board::accept);

    List<Integer> expected = records.stream()
        .sorted(Comparator.comparingDouble((WindowMetrics m) -> -m.getCostUsd() * (1 - m.getUtilizationSum() / m.getSamples())))
        .limit(WindowBoard.WASTEFUL_ROWS).map(WindowMetrics::getUltraserverId).toList();
    assertThat(single(board.drainChangedWindows()).wasteful()).extracting(Views.WasteRow::ultraserverId)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void badRecordsAreRefusedWithTheFieldToFix() {
    WindowMetrics good = ultraserver(T0, 1, "us-in", 0.5f);
    assertRejected(() -> board.accept(WindowMetrics.newBuilder(good).setUltraserverId(-3).build()), SkipReason.BAD_ID,
        "ultraserver_id -3");
    assertRejected(() -> board.accept(WindowMetrics.newBuilder(good).setSite(null).build()), SkipReason.UNKNOWN_SITE,
        "site null");
    assertRejected(() -> board.accept(WindowMetrics.newBuilder(good).setWindowEnd(good.getWindowStart()).build()),
        SkipReason.BAD_TIME, "window_end");
    assertThat(board.hasChanges()).isFalse();
  }

  @Test
  void anAlertKeepsItsNewestStateAndOnlyTheMostRecentlyUpdatedAreKept() {
    board.accept(alert("a", AlertStatus.OPEN, T0 + 1000, "first"));
    board.accept(alert("a", AlertStatus.RESOLVED, T0 + 5000, "resolved"));
    // A late redelivery of the OPEN update must not reopen it.
    assertRejected(() -> board.accept(alert("a", AlertStatus.OPEN, T0 + 1000, "first")), SkipReason.DUPLICATE,
        "not newer");
    assertThat(board.drainChangedAlerts()).extracting(Views.AlertView::status).containsExactly("RESOLVED");

    for (String id : List.of("b", "c", "d")) board.accept(alert(id, AlertStatus.OPEN, T0 + 9000, id));
    assertThat(board.drainChangedAlerts()).extracting(Views.AlertView::alertId).containsExactly("b", "c", "d");
    // Capacity 3: "a", updated longest ago, is forgotten, so even its old OPEN update is news again.
    assertThat(board.accept(alert("a", AlertStatus.OPEN, T0 + 1000, "first"))).isEqualTo(FleetBoard.Outcome.CHANGED);
  }

  private static void assertSummaryIsSumOf(Views.Summary s, List<WindowMetrics> records) {
    double samples = records.stream().mapToDouble(WindowMetrics::getSamples).sum();
    double util = records.stream().mapToDouble(WindowMetrics::getUtilizationSum).sum();
    double it = records.stream().mapToDouble(WindowMetrics::getItEnergyKwh).sum();
    double facility = records.stream().mapToDouble(WindowMetrics::getFacilityEnergyKwh).sum();
    double pflop = records.stream().mapToDouble(WindowMetrics::getDeliveredPflop).sum();
    double cost = records.stream().mapToDouble(WindowMetrics::getCostUsd).sum();
    double location = records.stream().mapToDouble(WindowMetrics::getCarbonLocationKg).sum();
    double market = records.stream().mapToDouble(WindowMetrics::getCarbonMarketKg).sum();
    double power = records.stream().mapToDouble(WindowMetrics::getPowerSumW).sum();
    double tol = 1e-9;
    assertThat(s.samples()).isEqualTo((long) samples);
    assertThat(s.ultraservers()).isEqualTo(records.stream().mapToInt(WindowMetrics::getUltraservers).sum());
    assertThat(s.chips()).isEqualTo(records.stream().mapToInt(WindowMetrics::getChipsReporting).sum());
    assertThat(s.utilizationAvg()).isCloseTo(util / samples, within(tol));
    assertThat(s.powerAvgW()).isCloseTo(power / samples, within(tol));
    assertThat(s.itEnergyKwh()).isCloseTo(it, within(tol));
    assertThat(s.itPowerKw()).isCloseTo(it * 60, within(tol)); // one-minute windows
    assertThat(s.facilityEnergyKwh()).isCloseTo(facility, within(tol));
    assertThat(s.tflopsPerW()).isCloseTo(pflop * 1e15 / (it * 3.6e6) / 1e12, within(tol));
    assertThat(s.carbonLocationKg()).isCloseTo(location, within(tol));
    assertThat(s.carbonMarketKg()).isCloseTo(market, within(tol));
    assertThat(s.usdPerPflop()).isCloseTo(cost / pflop, within(tol));
    assertThat(s.pricePerfVsGpu()).isCloseTo(0.004 / (cost / pflop) - 1, within(tol));
    assertThat(s.powerModelled()).isTrue();
  }

  static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, SkipReason reason,
      String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RecordRejected.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.getMessage()).contains(message);
    });
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
