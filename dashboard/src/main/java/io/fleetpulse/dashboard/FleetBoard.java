package io.fleetpulse.dashboard;

import io.fleetpulse.schema.Alert;
import io.fleetpulse.schema.WindowMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the dashboard knows: the newest windows and the latest state of recent alerts, fed record by record and
 * drained as views of what changed since the last drain. Owned by the Kafka thread; not thread-safe.
 */
final class FleetBoard {

  /** UltraServer ids are small dense numbers (15,625 at a million chips); a larger one is a bad record. */
  static final int MAX_ULTRASERVER_ID = 1 << 24;

  private final int windowsKept;
  private final int alertsKept;
  private final TreeMap<Long, WindowBoard> windows = new TreeMap<>();
  private final Set<Long> changedWindows = new LinkedHashSet<>();
  /** Access-ordered by update: the eldest entry is the alert updated longest ago, dropped first. */
  private final LinkedHashMap<String, Views.AlertView> alerts = new LinkedHashMap<>();
  private final Map<String, Views.AlertView> changedAlerts = new LinkedHashMap<>();

  FleetBoard(int windowsKept, int alertsKept) {
    this.windowsKept = windowsKept;
    this.alertsKept = alertsKept;
  }

  /** What became of a record. */
  enum Outcome {
    CHANGED,
    /** A repeat, or a level the page does not show (GENERATION). */
    UNCHANGED,
    /** Older than every window kept. */
    TOO_OLD
  }

  /** Takes one window record; throws {@link InvalidRecordException} naming what is wrong with a bad one. */
  Outcome accept(WindowMetrics m) {
    check(m);
    long start = m.getWindowStart().toEpochMilli();
    WindowBoard window = windows.get(start);
    if (window == null) {
      if (windows.size() >= windowsKept && start < windows.firstKey()) return Outcome.TOO_OLD;
      window = new WindowBoard(start, m.getWindowEnd().toEpochMilli());
      windows.put(start, window);
      while (windows.size() > windowsKept) changedWindows.remove(windows.pollFirstEntry().getKey());
    }
    if (!window.accept(m)) return Outcome.UNCHANGED;
    changedWindows.add(start);
    return Outcome.CHANGED;
  }

  Outcome accept(Alert a) {
    if (a.getAlertId() == null || a.getAlertId().isEmpty()) throw new InvalidRecordException("alert without alert_id");
    Views.AlertView view = AlertViews.of(a);
    Views.AlertView known = alerts.get(a.getAlertId());
    // Updates of one alert may be redelivered or arrive late: never let an older state overwrite a newer one.
    if (known != null && known.updatedTime() > view.updatedTime()) return Outcome.UNCHANGED;
    alerts.remove(a.getAlertId());
    alerts.put(a.getAlertId(), view);
    if (alerts.size() > alertsKept) alerts.remove(alerts.keySet().iterator().next());
    changedAlerts.put(a.getAlertId(), view);
    return Outcome.CHANGED;
  }

  boolean hasChanges() {
    return !changedWindows.isEmpty() || !changedAlerts.isEmpty();
  }

  /** Views of the windows changed since the last call, oldest first. */
  List<Views.WindowView> drainChangedWindows() {
    List<Views.WindowView> out = new ArrayList<>(changedWindows.size());
    changedWindows.stream().sorted().forEach(start -> out.add(windows.get(start).view()));
    changedWindows.clear();
    return out;
  }

  List<Views.AlertView> drainChangedAlerts() {
    List<Views.AlertView> out = new ArrayList<>(changedAlerts.values());
    changedAlerts.clear();
    return out;
  }

  private static void check(WindowMetrics m) {
    if (m.getWindowEnd().toEpochMilli() <= m.getWindowStart().toEpochMilli()) {
      throw new InvalidRecordException("window_end " + m.getWindowEnd() + " is not after window_start "
          + m.getWindowStart());
    }
    switch (m.getLevel()) {
      case ULTRASERVER -> {
        Integer id = m.getUltraserverId();
        if (id == null || id < 0 || id >= MAX_ULTRASERVER_ID) {
          throw new InvalidRecordException("ULTRASERVER record with ultraserver_id " + id + ", expected 0.."
              + (MAX_ULTRASERVER_ID - 1));
        }
        if (m.getSite() == null) throw new InvalidRecordException("ULTRASERVER record " + id + " without site");
      }
      case SITE -> {
        if (m.getSite() == null) throw new InvalidRecordException("SITE record without site");
      }
      default -> { }
    }
  }

  /** A record that decoded but cannot be shown; the message says which field is wrong. */
  static final class InvalidRecordException extends RuntimeException {
    InvalidRecordException(String message) {
      super(message);
    }
  }
}
