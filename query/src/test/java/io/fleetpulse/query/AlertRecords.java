package io.fleetpulse.query;

import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.Tables;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Alert updates as the alerts table holds them: an OPEN record, then (for most) a RESOLVED one with the full waste. */
final class AlertRecords {

  private AlertRecords() {}

  static Alert update(String id, AlertKind kind, AlertStatus status, Instant start, Instant updated, String site,
      int ultraserver, List<Integer> chips, double kwh, double usd, double kg) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setKind(kind)
        .setStatus(status)
        .setSeverity(kind == AlertKind.STRAGGLER ? AlertSeverity.WARNING : AlertSeverity.INFO)
        .setStartTime(start)
        .setEndTime(status == AlertStatus.RESOLVED ? updated : null)
        .setUpdatedTime(updated)
        .setSite(site)
        .setUltraserverId(ultraserver)
        .setWorkloadId(kind == AlertKind.RESERVED_IDLE ? null : 100 + ultraserver)
        .setChipIds(chips)
        .setSummary(kind + " on UltraServer " + ultraserver)
        .setObserved(0.57)
        .setThreshold(0.8)
        .setWastedEnergyKwh(kwh)
        .setWastedCostUsd(usd)
        .setWastedCarbonKg(kg)
        .build();
  }

  /**
   * 30 stragglers (each OPEN, then RESOLVED an hour later with three times the waste, except every fifth still
   * open), 3 reserved-idle UltraServers and 2 power caps, updates spread over two UTC hours.
   */
  static List<Alert> sample() {
    Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
    List<Alert> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = "STRAGGLER/chip-" + (1000 + i) + "/" + t0.plusSeconds(60L * i).toEpochMilli();
      Instant start = t0.plusSeconds(60L * i);
      double usd = 1.5 + (i * 7 % 30) * 0.25; // distinct, not in id order
      out.add(update(id, AlertKind.STRAGGLER, AlertStatus.OPEN, start, start.plus(Duration.ofMinutes(10)),
          TestLakes.SITES[i % 3], i, List.of(1000 + i), usd / 2.235 * 0.5, usd, usd * 0.1));
      if (i % 5 != 0) {
        out.add(update(id, AlertKind.STRAGGLER, AlertStatus.RESOLVED, start, start.plus(Duration.ofMinutes(70)),
            TestLakes.SITES[i % 3], i, List.of(1000 + i), 3 * usd / 2.235 * 0.5, 3 * usd, 3 * usd * 0.1));
      }
    }
    for (int u = 0; u < 3; u++) {
      String id = "RESERVED_IDLE/us-" + (40 + u) + "/" + t0.toEpochMilli();
      out.add(update(id, AlertKind.RESERVED_IDLE, AlertStatus.OPEN, t0, t0.plus(Duration.ofMinutes(30)), "us-in",
          40 + u, List.of(), 10, 143.04, 4.8));
    }
    for (int u = 0; u < 2; u++) {
      String id = "POWER_CAP/us-" + (50 + u) + "/" + t0.toEpochMilli();
      out.add(update(id, AlertKind.POWER_CAP, AlertStatus.OPEN, t0, t0.plus(Duration.ofMinutes(5)), "us-pa",
          50 + u, List.of(), 1, 2, 0.3));
      out.add(update(id, AlertKind.POWER_CAP, AlertStatus.RESOLVED, t0, t0.plus(Duration.ofMinutes(95)), "us-pa",
          50 + u, List.of(), 4, 8, 1.2));
    }
    return out;
  }

  static void write(Path data, List<Alert> alerts) {
    LakeWriter.write(data, Tables.ALERTS, Alert.class, alerts, a -> a.getUpdatedTime().toEpochMilli());
  }
}
