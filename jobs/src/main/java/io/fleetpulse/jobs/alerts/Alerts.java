package io.fleetpulse.jobs.alerts;

import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.AlertKind;
import io.fleetpulse.schema.AlertSeverity;
import io.fleetpulse.schema.AlertStatus;
import java.time.Instant;
import java.util.List;

/** Builds the Alert records the detectors report, so every kind is reported the same way. */
final class Alerts {

  private Alerts() {}

  /** The subject an alert is about: where it is and which chips. */
  record Subject(String site, Integer ultraserverId, Integer workloadId, List<Integer> chipIds, String id) {}

  /**
   * @param updatedAt event time the detector saw this: a window end, or the time a silence timer fired
   */
  static Alert of(AlertKind kind, AlertTracker.Event event, Subject subject, AlertSeverity severity, String summary,
      double threshold, long updatedAt) {
    AlertState s = event.state();
    boolean resolved = event.transition() == AlertTracker.Transition.RESOLVED;
    return Alert.newBuilder()
        .setAlertId(kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + subject.id() + ":" + s.startTime)
        .setKind(kind)
        .setStatus(resolved ? AlertStatus.RESOLVED : AlertStatus.OPEN)
        .setSeverity(severity)
        .setStartTime(Instant.ofEpochMilli(s.startTime))
        .setEndTime(resolved ? Instant.ofEpochMilli(s.lastEnd) : null)
        .setUpdatedTime(Instant.ofEpochMilli(Math.max(updatedAt, s.lastEnd)))
        .setSite(subject.site())
        .setUltraserverId(subject.ultraserverId())
        .setWorkloadId(subject.workloadId())
        .setChipIds(subject.chipIds())
        .setSummary(summary)
        .setObserved(s.observed)
        .setThreshold(threshold)
        .setWastedEnergyKwh(s.wastedEnergyKwh)
        .setWastedCostUsd(s.wastedCostUsd)
        .setWastedCarbonKg(s.wastedCarbonKg)
        .build();
  }

  static String minutes(AlertState s) {
    return Math.round((s.lastEnd - s.startTime) / 60_000.0) + " min";
  }
}
