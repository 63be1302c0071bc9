package io.fleetpulse.jobs.alerts;

import java.util.ArrayList;
import java.util.List;

/**
 * The lifecycle every alert rule shares, one window at a time: a condition that holds for {@code sustain}
 * consecutive windows opens an alert (start = the first of them, waste counted from it); the first window without
 * it, or a gap in the windows, resolves the alert (end = the last window it held in). Windows where a rule cannot
 * judge (e.g. a training job checkpointing) are simply not passed in, and a window at or before the last one seen
 * (a replayed window) changes nothing.
 */
public final class AlertTracker {

  /** What happened to an alert. */
  public enum Transition {
    OPENED,
    RESOLVED
  }

  /** An alert to report: its transition and its state at that moment. */
  public record Event(Transition transition, AlertState state) {}

  /** The state to keep for the subject (null: nothing to remember) and the alerts to report, in order. */
  public record Result(AlertState state, List<Event> events) {}

  private AlertTracker() {}

  /** A window the rule could not judge: the subject was there, so it is no gap; streak and waste stay as they are. */
  public static AlertState pass(AlertState state, long windowStart, long windowEnd) {
    if (state != null && state.seenUntil == windowStart) state.seenUntil = windowEnd;
    return state;
  }

  public static Result update(AlertState state, int sustain, long windowStart, long windowEnd, boolean condition,
      double observed, Waste waste) {
    List<Event> events = new ArrayList<>(2);
    if (state != null && windowStart < state.seenUntil) {
      return new Result(state, events);
    }
    if (state != null && state.seenUntil < windowStart) {
      // A gap: the subject had no window in between, so the condition did not demonstrably hold.
      if (state.open) events.add(new Event(Transition.RESOLVED, state));
      state = null;
    }
    if (!condition) {
      if (state != null && state.open) events.add(new Event(Transition.RESOLVED, state));
      return new Result(null, events);
    }
    AlertState s = state != null ? state : new AlertState();
    if (s.streak == 0) s.startTime = windowStart;
    s.streak++;
    s.lastEnd = windowEnd;
    s.seenUntil = windowEnd;
    s.observed = observed;
    s.wastedEnergyKwh += waste.energyKwh();
    s.wastedCostUsd += waste.costUsd();
    s.wastedCarbonKg += waste.carbonKg();
    if (!s.open && s.streak >= sustain) {
      s.open = true;
      events.add(new Event(Transition.OPENED, s));
    }
    return new Result(s, events);
  }
}
