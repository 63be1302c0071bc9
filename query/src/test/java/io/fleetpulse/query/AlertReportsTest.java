package io.fleetpulse.query;

import static io.fleetpulse.query.CollectedRows.d;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertStatus;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports over the alerts table: the latest update per alert wins (RESOLVED after OPEN), the top stragglers
 * come in order of money wasted, and waste adds up per kind, all checked against plain Java over the records
 * written.
 */
class AlertReportsTest {

  @TempDir static Path data;
  static List<Alert> alerts;
  static Map<String, Alert> latest;
  static LakeSql sql;

  @BeforeAll
  static void writeLake() {
    TestLakes.writeWindows(data);
    alerts = AlertRecords.sample();
    AlertRecords.write(data, alerts);
    latest = new HashMap<>();
    for (Alert a : alerts) {
      latest.merge(a.getAlertId(), a, (x, y) -> y.getUpdatedTime().isAfter(x.getUpdatedTime()) ? y : x);
    }
    sql = LakeSql.open(data, QueryLimits.endpoint());
  }

  @AfterAll
  static void close() {
    sql.close();
  }

  @Test
  void alertsLatestKeepsOneRowPerAlertItsLastUpdate() {
    assertThat(sql.views()).containsExactly("ultraserver_window", "alerts", "alerts_latest");
    List<Map<String, Object>> rows = CollectedRows.query(sql,
        "SELECT alert_id, status, wasted_cost_usd FROM alerts_latest").rows;
    assertThat(rows).hasSize(latest.size());
    for (Map<String, Object> r : rows) {
      Alert expected = latest.get((String) r.get("alert_id"));
      assertThat(r.get("status")).isEqualTo(expected.getStatus().name());
      assertThat(d(r, "wasted_cost_usd")).isEqualTo(expected.getWastedCostUsd());
    }
  }

  @Test
  void topStragglersAreTheTwentyCostliestInOrder() {
    List<Alert> expected = latest.values().stream()
        .filter(a -> a.getKind() == AlertKind.STRAGGLER)
        .sorted(Comparator.comparingDouble(Alert::getWastedCostUsd).reversed().thenComparing(Alert::getAlertId))
        .limit(20).toList();
    List<Map<String, Object>> rows = CollectedRows.report(sql, "top-stragglers").rows;
    assertThat(rows.stream().map(r -> (String) r.get("alert_id")))
        .containsExactlyElementsOf(expected.stream().map(Alert::getAlertId).toList());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> r = rows.get(i);
      Alert a = expected.get(i);
      assertThat(r.get("chip_ids")).isEqualTo(a.getChipIds());
      assertThat(r.get("status")).isEqualTo(a.getStatus().name());
      long endMs = (a.getEndTime() != null ? a.getEndTime() : a.getUpdatedTime()).toEpochMilli();
      assertThat(d(r, "minutes")).isCloseTo((endMs - a.getStartTime().toEpochMilli()) / 60_000.0, within(1e-9));
      assertThat(d(r, "wasted_energy_kwh")).isEqualTo(a.getWastedEnergyKwh());
    }
  }

  @Test
  void wasteByKindAddsUpTheLatestStateOfEachAlert() {
    Map<String, List<Alert>> byKind = latest.values().stream()
        .collect(Collectors.groupingBy(a -> a.getKind().name()));
    List<Map<String, Object>> rows = CollectedRows.report(sql, "waste-by-alert-kind").rows;
    assertThat(rows.stream().map(r -> (String) r.get("kind")))
        .containsExactlyInAnyOrder("STRAGGLER", "RESERVED_IDLE", "POWER_CAP");
    for (Map<String, Object> r : rows) {
      List<Alert> group = byKind.get((String) r.get("kind"));
      assertThat(((Number) r.get("alerts")).longValue()).isEqualTo(group.size());
      assertThat(((Number) r.get("still_open")).longValue())
          .isEqualTo(group.stream().filter(a -> a.getStatus() == AlertStatus.OPEN).count());
      assertThat(d(r, "wasted_cost_usd")).isCloseTo(group.stream().mapToDouble(Alert::getWastedCostUsd).sum(),
          within(1e-9));
      assertThat(d(r, "wasted_energy_kwh")).isCloseTo(group.stream().mapToDouble(Alert::getWastedEnergyKwh).sum(),
          within(1e-9));
      assertThat(d(r, "wasted_carbon_kg")).isCloseTo(group.stream().mapToDouble(Alert::getWastedCarbonKg).sum(),
          within(1e-9));
    }
    List<String> costliestFirst = byKind.entrySet().stream()
        .sorted(Comparator.comparingDouble(
            (Map.Entry<String, List<Alert>> e) -> e.getValue().stream().mapToDouble(Alert::getWastedCostUsd).sum())
            .reversed())
        .map(Map.Entry::getKey).toList();
    assertThat(rows.stream().map(r -> (String) r.get("kind"))).containsExactlyElementsOf(costliestFirst);
  }

  @Test
  void aReportNeedingAlertsNamesTheMissingTable(@TempDir Path windowsOnly) {
    TestLakes.writeWindows(windowsOnly);
    try (LakeSql noAlerts = LakeSql.open(windowsOnly, QueryLimits.endpoint())) {
      assertThatThrownBy(() -> CollectedRows.report(noAlerts, "top-stragglers"))
          .isInstanceOfSatisfying(QueryException.class,
              e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.UNKNOWN_TABLE))
          .hasMessageContaining("needs table alerts").hasMessageContaining("tables present: ultraserver_window");
    }
  }

  @Test
  void aTableAppearingWhileOpenBecomesAView(@TempDir Path growing) {
    TestLakes.writeWindows(growing);
    try (LakeSql live = LakeSql.open(growing, QueryLimits.endpoint())) {
      assertThat(live.tables()).containsExactly("ultraserver_window");
      AlertRecords.write(growing, alerts);
      assertThat(CollectedRows.report(live, "waste-by-alert-kind").rows).hasSize(3);
      assertThat(live.tables()).containsExactly("ultraserver_window", "alerts");
    }
  }
}
