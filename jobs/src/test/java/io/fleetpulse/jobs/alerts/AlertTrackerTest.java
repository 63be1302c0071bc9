package io.fleetpulse.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.jobs.alerts.AlertTracker.Transition;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {

  static final long M = 60_000;
  static final Waste ONE_DOLLAR = new Waste(2, 1, 0.5);

  static AlertTracker.Result step(AlertState s, int sustain, int window, boolean condition) {
    return AlertTracker.update(s, sustain, window * M, (window + 1) * M, condition, window, ONE_DOLLAR);
  }

  @Test
  void opensAfterSustainedWindowsAndResolvesOnTheFirstClearOne() {
    AlertTracker.Result r = step(null, 3, 0, true);
    assertThat(r.events()).isEmpty();
    r = step(r.state(), 3, 1, true);
    assertThat(r.events()).isEmpty();
    r = step(r.state(), 3, 2, true);
    assertThat(r.events()).singleElement().satisfies(e -> {
      assertThat(e.transition()).isEqualTo(Transition.OPENED);
      assertThat(e.state().startTime).isEqualTo(0);
      assertThat(e.state().wastedCostUsd).isEqualTo(3); // counted from the first window, not from opening
    });
    r = step(r.state(), 3, 3, true);
    assertThat(r.events()).isEmpty();
    r = step(r.state(), 3, 4, false);
    assertThat(r.state()).isNull();
    assertThat(r.events()).singleElement().satisfies(e -> {
      assertThat(e.transition()).isEqualTo(Transition.RESOLVED);
      assertThat(e.state().lastEnd).isEqualTo(4 * M);
      assertThat(e.state().wastedEnergyKwh).isEqualTo(8);
      assertThat(e.state().observed).isEqualTo(3);
    });
  }

  @Test
  void aConditionThatDoesNotLastNeverOpens() {
    AlertTracker.Result r = step(null, 3, 0, true);
    r = step(r.state(), 3, 1, true);
    r = step(r.state(), 3, 2, false);
    assertThat(r.events()).isEmpty();
    assertThat(r.state()).isNull();
  }

  @Test
  void aGapInTheWindowsResolvesAndStartsOver() {
    AlertTracker.Result r = step(null, 1, 0, true);
    assertThat(r.events()).extracting(AlertTracker.Event::transition).containsExactly(Transition.OPENED);
    r = step(r.state(), 1, 5, true); // windows 1-4 never came
    assertThat(r.events()).extracting(AlertTracker.Event::transition)
        .containsExactly(Transition.RESOLVED, Transition.OPENED);
    assertThat(r.events().get(0).state().lastEnd).isEqualTo(M);
    assertThat(r.events().get(1).state().startTime).isEqualTo(5 * M);
  }

  @Test
  void aWindowSeenAgainChangesNothing() {
    AlertTracker.Result r = step(null, 2, 0, true);
    r = step(r.state(), 2, 1, true);
    AlertState open = r.state();
    r = step(open, 2, 1, false);
    assertThat(r.events()).isEmpty();
    assertThat(r.state()).isSameAs(open);
    assertThat(open.open).isTrue();
  }
}
