package io.fleetpulse.bench;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Placement;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.Tables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alerts table of the bench lake: each day, a straggler alert per straggler chip of a training or flex
 * UltraServer (the model's stragglers) and a reserved-idle alert per reserved UltraServer, each OPEN early in the
 * day and RESOLVED at its end with the day's waste, priced with the chip's generation and site. One file per hour
 * partition (updated_time), as compaction leaves them.
 */
final class BenchAlerts {

  private BenchAlerts() {}

  /** Writes the day's alert updates; returns how many. */
  static int writeDay(FleetModel model, Path lake, long dayStart) {
    FleetLayout layout = model.layout();
    double slowdown = model.config().faults().stragglerSlowdown();
    long end = dayStart + 86_399_000L; // the day's last second: RESOLVED in the same day's partitions
    List<Alert> alerts = new ArrayList<>();
    for (int us = 0; us < layout.ultraservers(); us++) {
      Placement p = layout.placement(us);
      FleetConfig.Generation gen = model.generationOf(us);
      FleetConfig.Site site = model.siteOf(us);
      int workload = layout.workload(us);
      if (p == Placement.RESERVED_IDLE) {
        int chips = layout.chipsPerUltraserver();
        double kwh = chips * gen.idlePowerW() * 24 / 1000 * site.pue();
        double usd = chips * gen.pricePerChipHourUsd() * 24;
        String id = "RESERVED_IDLE/us-" + us + "/" + dayStart;
        alerts.add(update(id, AlertKind.RESERVED_IDLE, AlertStatus.OPEN, dayStart, dayStart + 900_000L, site.id(), us,
            workload, List.of(), kwh / 96, usd / 96, kwh / 96 * site.gridFactorGPerKwh() / 1000));
        alerts.add(update(id, AlertKind.RESERVED_IDLE, AlertStatus.RESOLVED, dayStart, end, site.id(), us, workload,
            List.of(), kwh, usd, kwh * site.gridFactorGPerKwh() / 1000));
      }
      if (p != Placement.TRAINING && p != Placement.FLEX) continue;
      int first = us * layout.chipsPerUltraserver();
      for (int chip = first; chip < first + layout.chipsPerUltraserver(); chip++) {
        if (!model.isStraggler(chip)) continue;
        long start = dayStart + 60_000L * (chip % 600);
        double hours = (end - start) / 3.6e6;
        double usd = gen.pricePerChipHourUsd() * hours * slowdown;
        double kwh = gen.maxPowerW() * hours / 1000 * slowdown * site.pue();
        String id = "STRAGGLER/chip-" + chip + "/" + dayStart;
        alerts.add(update(id, AlertKind.STRAGGLER, AlertStatus.OPEN, start, start + 600_000L, site.id(), us, workload,
            List.of(chip), kwh / hours / 6, usd / hours / 6, kwh / hours / 6 * site.gridFactorGPerKwh() / 1000));
        alerts.add(update(id, AlertKind.STRAGGLER, AlertStatus.RESOLVED, start, end, site.id(), us, workload,
            List.of(chip), kwh, usd, kwh * site.gridFactorGPerKwh() / 1000));
      }
    }
    Map<Long, List<Alert>> byHour = new TreeMap<>();
    for (Alert a : alerts) {
      byHour.computeIfAbsent(Math.floorDiv(a.getUpdatedTime().toEpochMilli(), 3_600_000L), h -> new ArrayList<>())
          .add(a);
    }
    byHour.forEach((hour, rows) -> LakeFiles.writeAll(
        LakeFiles.file(lake, Tables.ALERTS, hour * 3_600_000L, false, "part-bench-0"), Alert.class, rows));
    return alerts.size();
  }

  private static Alert update(String id, AlertKind kind, AlertStatus status, long start, long updated, String site,
      int ultraserver, int workload, List<Integer> chips, double kwh, double usd, double kg) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setKind(kind)
        .setStatus(status)
        .setSeverity(kind == AlertKind.STRAGGLER ? AlertSeverity.WARNING : AlertSeverity.INFO)
        .setStartTime(java.time.Instant.ofEpochMilli(start))
        .setEndTime(status == AlertStatus.RESOLVED ? java.time.Instant.ofEpochMilli(updated) : null)
        .setUpdatedTime(java.time.Instant.ofEpochMilli(updated))
        .setSite(site)
        .setUltraserverId(ultraserver)
        .setWorkloadId(workload < 0 ? null : workload)
        .setChipIds(chips)
        .setSummary(kind + " on UltraServer " + ultraserver)
        .setObserved(kind == AlertKind.STRAGGLER ? 0.57 : 0.01)
        .setThreshold(kind == AlertKind.STRAGGLER ? 0.8 : 0.05)
        .setWastedEnergyKwh(kwh)
        .setWastedCostUsd(usd)
        .setWastedCarbonKg(kg)
        .build();
  }
}
