package io.fleetpulse.query;

import io.fleetpulse.model.Activity;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetModel;
import io.fleetpulse.model.Placement;
import io.fleetpulse.model.Sample;
import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import io.fleetpulse.schema.AlertStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Alerts for a pipeline lake until the job writes its own (issue #4): what the model knows to be wrong, so the
 * notebooks' alert paths run on plausible rows. Each reserved-idle UltraServer gets a RESERVED_IDLE alert whose
 * waste is all its facility energy, chip-hours and location carbon over the period; each straggler chip in a
 * training placement gets a STRAGGLER alert whose waste is its slowdown share of the same figures for its
 * training samples. Both open 15 minutes in and resolve at the end.
 */
final class AlertFixtures {

  private AlertFixtures() {}

  static List<Alert> fromModel(FleetModel model, Instant start, Instant end) {
    FleetConfig cfg = model.config();
    long fromTick = model.tickOf(start.toEpochMilli());
    long toTick = model.tickOf(end.toEpochMilli());
    int perUs = model.layout().chipsPerUltraserver();
    List<Alert> out = new ArrayList<>();
    Sample s = new Sample();
    for (int us = 0; us < model.layout().ultraservers(); us++) {
      Placement placement = model.layout().placement(us);
      FleetConfig.Site site = model.siteOf(us);
      FleetConfig.Generation gen = model.generationOf(us);
      for (int chip = us * perUs; chip < (us + 1) * perUs; chip++) {
        boolean straggler = model.isStraggler(chip)
            && (placement == Placement.TRAINING || placement == Placement.FLEX);
        if (placement != Placement.RESERVED_IDLE && !straggler) continue;
        double kwh = 0;
        double usd = 0;
        for (long tick = fromTick; tick < toTick; tick++) {
          if (!model.sample(chip, tick, s)) continue;
          if (straggler && s.activity != Activity.TRAINING) continue;
          double dt = s.intervalMs / 1000.0;
          kwh += s.powerW * dt / 3.6e6 * site.pue();
          usd += dt / 3600 * gen.pricePerChipHourUsd();
        }
        double share = straggler ? cfg.faults().stragglerSlowdown() : 1;
        if (straggler) {
          out.addAll(alert(AlertKind.STRAGGLER, "chip-" + chip, start, end, site.id(), us, List.of(chip),
              kwh * share, usd * share, kwh * share * site.gridFactorGPerKwh() / 1000,
              "chip " + chip + " at " + Math.round(100 * (1 - share)) + "% of its job's pace",
              1 - share, 0.8));
        } else if (chip == us * perUs) {
          out.addAll(alert(AlertKind.RESERVED_IDLE, "us-" + us, start, end, site.id(), us, List.of(),
              kwh * perUs, usd * perUs, kwh * perUs * site.gridFactorGPerKwh() / 1000,
              "UltraServer " + us + " reserved and idle", 0.01, 0.05));
        }
      }
    }
    return out;
  }

  private static List<Alert> alert(AlertKind kind, String subject, Instant start, Instant end, String site, int us,
      List<Integer> chips, double kwh, double usd, double kg, String summary, double observed, double threshold) {
    String id = kind + "/" + subject + "/" + start.toEpochMilli();
    Instant opened = start.plusSeconds(15 * 60);
    List<Alert> updates = new ArrayList<>();
    for (AlertStatus status : AlertStatus.values()) {
      Instant updated = status == AlertStatus.OPEN ? opened : end;
      double part = status == AlertStatus.OPEN ? (double) (opened.toEpochMilli() - start.toEpochMilli())
          / (end.toEpochMilli() - start.toEpochMilli()) : 1;
      updates.add(Alert.newBuilder()
          .setAlertId(id).setKind(kind).setStatus(status)
          .setSeverity(kind == AlertKind.STRAGGLER ? AlertSeverity.WARNING : AlertSeverity.INFO)
          .setStartTime(start).setEndTime(status == AlertStatus.RESOLVED ? end : null).setUpdatedTime(updated)
          .setSite(site).setUltraserverId(us).setWorkloadId(null).setChipIds(chips).setSummary(summary)
          .setObserved(observed).setThreshold(threshold)
          .setWastedEnergyKwh(kwh * part).setWastedCostUsd(usd * part).setWastedCarbonKg(kg * part)
          .build());
    }
    return updates;
  }
}
