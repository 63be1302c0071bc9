package io.fleetpulse.dashboard;

import io.fleetpulse.schema.Alert;
import java.util.List;

/** Turns an Avro Alert into what the page shows. */
final class AlertViews {

  /** Chip ids listed per alert; the count says how many there were. */
  static final int CHIPS_LISTED = 8;

  private AlertViews() {}

  static Views.AlertView of(Alert a) {
    List<Integer> chips = a.getChipIds() == null ? List.of() : a.getChipIds();
    return new Views.AlertView(
        a.getAlertId(),
        String.valueOf(a.getKind()),
        String.valueOf(a.getStatus()),
        String.valueOf(a.getSeverity()),
        a.getStartTime().toEpochMilli(),
        a.getEndTime() == null ? null : a.getEndTime().toEpochMilli(),
        a.getUpdatedTime().toEpochMilli(),
        a.getSite(),
        a.getUltraserverId(),
        a.getWorkloadId(),
        chips.size(),
        List.copyOf(chips.subList(0, Math.min(CHIPS_LISTED, chips.size()))),
        a.getSummary(),
        Json.num(a.getObserved()),
        Json.num(a.getThreshold()),
        Json.num(a.getWastedEnergyKwh()),
        Json.num(a.getWastedCostUsd()),
        Json.num(a.getWastedCarbonKg()));
  }
}
