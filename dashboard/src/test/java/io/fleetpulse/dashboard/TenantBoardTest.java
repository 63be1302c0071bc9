package io.fleetpulse.dashboard;

import static io.fleetpulse.dashboard.TestRecords.MINUTE;
import static io.fleetpulse.dashboard.TestRecords.T0;
import static io.fleetpulse.dashboard.TestRecords.rollup;
import static io.fleetpulse.dashboard.TestRecords.ultraserver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

/** The tenant view, fed through the board as the Kafka thread feeds it; expected figures worked out by hand. */
class TenantBoardTest {

  private final StreamStatus status = new StreamStatus();
  private final FleetBoard board = new FleetBoard(5, 3, FleetBounds.defaults(), status);

  /** Three UltraServers of 64 samples each: 192 samples, which the tenants below add up to. */
  private void fleetWindow(long start) {
    for (int us = 1; us <= 3; us++) board.accept(ultraserver(start, us, "us-in", utilizations(64)));
  }

  /**
   * A TENANT record of the given samples and figures. Its other sums are those of UltraServer windows of as many
   * samples (10 s each: 1.33 Wh of facility energy per sample), so it passes the checks.
   */
  private static WindowMetrics tenant(long start, String id, int samples, double cost, double idleCost,
      double locationKg, double marketKg) {
    WindowMetrics base = rollup(ultraserver(start, 0, "us-in", utilizations(samples)), AggregationLevel.TENANT, null);
    return WindowMetrics.newBuilder(base).setTenant(id).setUltraservers((samples + 63) / 64).setCostUsd(cost)
        .setIdleCostUsd(idleCost).setCarbonLocationKg(locationKg).setCarbonMarketKg(marketKg).build();
  }

  private static float[] utilizations(int n) {
    float[] u = new float[n];
    Arrays.fill(u, 0.5f);
    return u;
  }

  @Test
  void ranksTheTenantsOfTheNewestCompleteWindowByCostAndByEachCarbon() {
    fleetWindow(T0);
    board.accept(tenant(T0, "frontier-models", 96, 3.0, 0.6, 0.02, 0.015));
    board.accept(tenant(T0, "search", 64, 1.0, 0.5, 0.09, 0.01));
    board.accept(tenant(T0, "unplaced", 32, 2.0, 2.0, 0.05, 0.05));

    Views.TenantView v = board.drainTenantView();
    assertThat(v.windowStart()).isEqualTo(T0);
    assertThat(v.windowEnd()).isEqualTo(T0 + MINUTE);
    assertThat(v.tenants()).isEqualTo(3);
    assertThat(v.byCost()).extracting(Views.TenantRow::tenant).containsExactly("frontier-models", "unplaced", "search");
    assertThat(v.byCarbonLocation()).extracting(Views.TenantRow::tenant)
        .containsExactly("search", "unplaced", "frontier-models");
    assertThat(v.byCarbonMarket()).extracting(Views.TenantRow::tenant)
        .containsExactly("unplaced", "frontier-models", "search");

    // A one-minute window: an hour is 60 of them.
    Views.TenantRow top = v.byCost().get(0);
    assertThat(top.costUsd()).isEqualTo(3.0);
    assertThat(top.usdPerHour()).isCloseTo(180.0, within(1e-9));
    assertThat(top.idleShare()).isCloseTo(0.2, within(1e-12));
    assertThat(top.carbonLocationKgPerHour()).isCloseTo(1.2, within(1e-12));
    assertThat(top.carbonMarketKgPerHour()).isCloseTo(0.9, within(1e-12));
    assertThat(top.chips()).isEqualTo(96);
    assertThat(v.byCost().get(1).idleShare()).isEqualTo(1.0);
    assertThat(v.byCost().get(2).idleShare()).isCloseTo(0.5, within(1e-12));

    assertThat(v.costUsd()).isCloseTo(6.0, within(1e-12));
    assertThat(v.usdPerHour()).isCloseTo(360.0, within(1e-9));
    assertThat(v.idleShare()).isCloseTo(3.1 / 6.0, within(1e-12));
    assertThat(v.carbonLocationKg()).isCloseTo(0.16, within(1e-12));
    assertThat(v.carbonMarketKgPerHour()).isCloseTo(0.075 * 60, within(1e-9));
    assertThat(v.totalsSince()).isEqualTo(T0);
    assertThat(v.totalWindows()).isEqualTo(1);
    assertThat(v.totalCostUsd()).isCloseTo(6.0, within(1e-12));

    // Nothing changed since: no new view to push.
    assertThat(board.drainTenantView()).isNull();
  }

  @Test
  void rowsAreCappedAndTiesGoByTenantId() {
    fleetWindow(T0);
    String[] ids = {"frontier-models", "assistant", "search", "ads-ranking", "research", "customer-acme",
        "unplaced", "unknown"};
    // 192 samples over eight tenants, every one costing the same.
    for (String id : ids) board.accept(tenant(T0, id, 24, 1.0, 0, 0.01, 0.01));
    Views.TenantView v = board.drainTenantView();
    assertThat(v.tenants()).isEqualTo(8);
    assertThat(v.byCost()).extracting(Views.TenantRow::tenant).containsExactly("ads-ranking", "assistant",
        "customer-acme", "frontier-models", "research", "search", "unknown", "unplaced");

    Views.TenantRow row = v.byCost().get(0);
    java.util.List<Views.TenantRow> many = java.util.stream.IntStream.range(0, 30)
        .mapToObj(i -> new Views.TenantRow("t" + i, 1, 1, null, (double) i, null, null, null,
            null, null, null, null, null, null, null, 1))
        .toList();
    assertThat(TenantBoard.top(many, Views.TenantRow::costUsd)).hasSize(TenantBoard.ROWS)
        .extracting(Views.TenantRow::costUsd).containsExactly(29.0, 28.0, 27.0, 26.0, 25.0, 24.0, 23.0, 22.0, 21.0,
            20.0);
    assertThat(row.idleShare()).isZero();
  }

  @Test
  void aWindowWhoseTenantsDoNotYetAddUpToTheFleetWaitsForTheNextWindow() {
    fleetWindow(T0);
    board.accept(tenant(T0, "search", 64, 1.0, 0, 0.01, 0.01));
    Views.TenantView v = board.drainTenantView();
    assertThat(v.windowStart()).isNull();
    assertThat(v.byCost()).isEmpty();
    assertThat(v.totalWindows()).isEqualTo(1);

    // The next window has begun: the job has fired the first, so it is complete as it stands.
    board.accept(tenant(T0 + MINUTE, "search", 64, 4.0, 0, 0.01, 0.01));
    assertThat(board.drainTenantView().windowStart()).isEqualTo(T0);

    // That window's UltraServers arrive, 192 samples; its tenants so far have 64: still the first window.
    fleetWindow(T0 + MINUTE);
    assertThat(board.drainTenantView()).isNull();
    board.accept(tenant(T0 + MINUTE, "research", 128, 2.0, 0, 0.01, 0.01));
    v = board.drainTenantView();
    assertThat(v.windowStart()).isEqualTo(T0 + MINUTE);
    assertThat(v.byCost()).extracting(Views.TenantRow::tenant).containsExactly("search", "research");
    assertThat(v.byCost().get(0).totalCostUsd()).isCloseTo(5.0, within(1e-12));
    assertThat(v.byCost().get(0).totalWindows()).isEqualTo(2);
    assertThat(v.totalCostUsd()).isCloseTo(7.0, within(1e-12));
    assertThat(v.totalWindows()).isEqualTo(2);
  }

  @Test
  void aReFiredWindowReplacesTheFirstAndARepeatIsADuplicate() {
    fleetWindow(T0);
    WindowMetrics first = tenant(T0, "search", 96, 3.0, 0, 0.01, 0.01);
    board.accept(first);
    board.accept(tenant(T0, "unplaced", 96, 1.0, 0, 0.01, 0.01));
    assertThat(board.drainTenantView().totalCostUsd()).isCloseTo(4.0, within(1e-12));

    // Late data within the allowed lateness: the job fires the window again, with more samples.
    fleetWindow(T0 + MINUTE);
    board.accept(tenant(T0, "search", 128, 4.5, 0, 0.01, 0.01));
    rejected(() -> board.accept(first), SkipReason.DUPLICATE);
    rejected(() -> board.accept(tenant(T0, "search", 128, 4.5, 0, 0.01, 0.01)), SkipReason.DUPLICATE);
    Views.TenantView v = board.drainTenantView();
    assertThat(v.byCost().get(0).costUsd()).isEqualTo(4.5);
    assertThat(v.byCost().get(0).totalCostUsd()).isCloseTo(4.5, within(1e-12));
    assertThat(v.totalCostUsd()).isCloseTo(5.5, within(1e-12));
    assertThat(v.totalWindows()).isEqualTo(1);
  }

  @Test
  void windowsAgeOutOfTheViewButStayInTheTotals() {
    for (int w = 0; w < 8; w++) {
      fleetWindow(T0 + w * MINUTE);
      board.accept(tenant(T0 + w * MINUTE, "search", 192, 1.0, 0, 0.01, 0.01));
    }
    Views.TenantView v = board.drainTenantView();
    assertThat(v.windowStart()).isEqualTo(T0 + 7 * MINUTE);
    assertThat(v.totalWindows()).isEqualTo(8);
    assertThat(v.totalsSince()).isEqualTo(T0);
    assertThat(v.byCost().get(0).totalCostUsd()).isCloseTo(8.0, within(1e-12));
    // The board keeps 5 windows: the first three are gone, and a record of one would count twice.
    rejected(() -> board.accept(tenant(T0 + 2 * MINUTE, "search", 193, 1.0, 0, 0.01, 0.01)), SkipReason.TOO_OLD);
  }

  @Test
  void aFloodOfMadeUpTenantsIsRefusedAndKeepsNothing() {
    fleetWindow(T0);
    for (int i = 0; i < 5_000; i++) {
      int n = i;
      rejected(() -> board.accept(tenant(T0, "tenant-" + n, 64, 1.0, 0, 0.01, 0.01)), SkipReason.UNKNOWN_TENANT);
    }
    rejected(() -> board.accept(tenant(T0, "<img src=x onerror=alert(1)>", 64, 1.0, 0, 0.01, 0.01)),
        SkipReason.UNKNOWN_TENANT);
    assertThat(board.tenantsCounted()).isZero();
    assertThat(board.drainTenantView()).isNull();
  }

  @Test
  void recordsFarFromTheStreamAreRefusedOrDroppedOnceTheStreamShowsUp() {
    // Before any UltraServer window: a tenant window 47 hours ahead is all there is, so it is taken...
    board.accept(tenant(T0 + 47 * 60 * MINUTE, "search", 192, 9.0, 0, 0.01, 0.01));
    assertThat(board.drainTenantView().totalCostUsd()).isEqualTo(9.0);
    // ...until the stream's windows show it was ahead of the stream: dropped, out of the totals, skipped as ahead.
    fleetWindow(T0);
    board.accept(tenant(T0, "search", 192, 1.0, 0, 0.01, 0.01));
    Views.TenantView v = board.drainTenantView();
    assertThat(v.windowStart()).isEqualTo(T0);
    assertThat(v.totalCostUsd()).isEqualTo(1.0);
    assertThat(v.totalWindows()).isEqualTo(1);
    assertThat(status.skippedCount(SkipReason.AHEAD)).isEqualTo(1);

    rejected(() -> board.accept(tenant(T0 + 47 * 60 * MINUTE, "search", 192, 9.0, 0, 0.01, 0.01)), SkipReason.AHEAD);
    WindowMetrics twoMinutes = WindowMetrics.newBuilder(tenant(T0, "research", 192, 1.0, 0, 0.01, 0.01))
        .setWindowEnd(java.time.Instant.ofEpochMilli(T0 + 2 * MINUTE)).build();
    rejected(() -> board.accept(twoMinutes), SkipReason.BAD_TIME);
  }

  @Test
  void workloadWindowsAreNotShown() {
    WindowMetrics workload = WindowMetrics.newBuilder(tenant(T0, "search", 64, 1.0, 0, 0.01, 0.01))
        .setLevel(AggregationLevel.WORKLOAD).setWorkload("train-00017").build();
    assertThat(board.accept(workload)).isEqualTo(FleetBoard.Outcome.IGNORED);
    assertThat(board.hasChanges()).isFalse();
  }

  private static void rejected(ThrowableAssert.ThrowingCallable call, SkipReason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RecordRejected.class, e -> assertThat(e.reason())
        .isEqualTo(reason));
  }
}
