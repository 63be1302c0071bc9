package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {

  static final long MINUTE = 60_000;
  static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();

  private final LatencyTracker tracker = new LatencyTracker();

  /** A pushed window: when it ended, reached this server and was emitted (null: unknown). */
  static Views.WindowView window(long end, long receivedAt, Long emittedAt, boolean live) {
    return new Views.WindowView(end - MINUTE, end, null, List.of(), List.of(), receivedAt, emittedAt, live,
        receivedAt + 5);
  }

  @Test
  void inRealTimeTheDelaysAndTheJobsShareAreMeasured() {
    List<Views.WindowView> w = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long end = NOW - (20 - i) * MINUTE;
      // The job emits 15 s after the window end (its out-of-orderness), the dashboard has it 2 s later; two slower.
      w.add(window(end, end + 17_000 + (i == 7 || i == 12 ? 40_000 : 0), end + 15_000, true));
    }
    tracker.update(w, List.of());

    Views.LatencyView v = tracker.view(NOW, NOW - MINUTE);
    assertThat(v.clock()).isEqualTo("real-time");
    assertThat(v.eventTimeRate()).isCloseTo(1.0, within(0.01));
    assertThat(v.newestWindowAgeMs()).isEqualTo(MINUTE);
    assertThat(v.windows()).isEqualTo(20);
    assertThat(v.lastDelayMs()).isEqualTo(17_000);
    assertThat(v.lastJobDelayMs()).isEqualTo(15_000);
    assertThat(v.delayMs()).isEqualTo(new Views.Percentiles(17_000, 57_000, 57_000, 20));
    assertThat(v.jobDelayMs()).isEqualTo(new Views.Percentiles(15_000, 15_000, 15_000, 20));
  }

  @Test
  void atSpeedupSixtyWindowEndsAreNotWallClockTimesSoThereIsNoDelay() {
    // A replay of last week: a minute of event time every second, days behind the wall clock.
    long start = NOW - 7 * 24 * 60 * MINUTE;
    List<Views.WindowView> w = new ArrayList<>();
    for (int i = 0; i < 10; i++) w.add(window(start + i * MINUTE, NOW - 10_000 + i * 1_000, NOW - 10_200 + i * 1_000, true));
    tracker.update(w, List.of());

    Views.LatencyView v = tracker.view(NOW, start + 9 * MINUTE);
    assertThat(v.clock()).isEqualTo("fast");
    assertThat(v.eventTimeRate()).isCloseTo(60, within(0.5));
    assertThat(v.note()).contains("n/a at speedup", "60x");
    assertThat(v.delayMs()).isNull();
    assertThat(v.jobDelayMs()).isNull();
    assertThat(v.lastDelayMs()).isNull();
    assertThat(v.newestWindowAgeMs()).isNull();
  }

  @Test
  void aWindowEndingAheadOfTheWallClockSaysSoFromTheFirstWindow() {
    // --speedup 60 from now: after a minute of wall clock, event time is an hour ahead.
    tracker.update(List.of(window(NOW + 59 * MINUTE, NOW, NOW, true)), List.of());
    Views.LatencyView v = tracker.view(NOW, NOW + 59 * MINUTE);
    assertThat(v.clock()).isEqualTo("fast");
    assertThat(v.note()).contains("ahead of this server's clock");
    assertThat(v.delayMs()).isNull();
  }

  @Test
  void withoutEmittedAtTheJobsShareIsUnknownNotZero() {
    tracker.update(List.of(window(NOW - 2 * MINUTE, NOW - 2 * MINUTE + 20_000, null, true),
        window(NOW - MINUTE, NOW - MINUTE + 19_000, null, true)), List.of());
    Views.LatencyView v = tracker.view(NOW, NOW - MINUTE);
    assertThat(v.clock()).isEqualTo("real-time");
    assertThat(v.delayMs()).isEqualTo(new Views.Percentiles(19_000, 20_000, 20_000, 2));
    assertThat(v.jobDelayMs()).isNull();
    assertThat(v.lastJobDelayMs()).isNull();
    assertThat(v.note()).contains("unknown");
  }

  @Test
  void windowsReadBackOnStartAreNotMeasured() {
    // Read with --history: they arrive now, but ended a quarter of an hour ago.
    List<Views.WindowView> w = new ArrayList<>();
    for (int i = 0; i < 15; i++) w.add(window(NOW - (15 - i) * MINUTE, NOW, NOW - (15 - i) * MINUTE + 15_000, false));
    tracker.update(w, List.of());
    Views.LatencyView v = tracker.view(NOW, NOW - MINUTE);
    assertThat(v.clock()).isEqualTo("unknown");
    assertThat(v.windows()).isZero();
    assertThat(v.delayMs()).isNull();
  }

  @Test
  void oneWindowLongBehindWaitsForTheNextToTellADelayFromAReplay() {
    tracker.update(List.of(window(NOW - 6 * 24 * 60 * MINUTE, NOW, NOW, true)), List.of());
    assertThat(tracker.view(NOW, NOW).clock()).isEqualTo("unknown");
    // One minute later, the next window: a minute of event time per minute. Six days late, truly.
    tracker.update(List.of(window(NOW - 6 * 24 * 60 * MINUTE + MINUTE, NOW + MINUTE, NOW + MINUTE, true)), List.of());
    Views.LatencyView v = tracker.view(NOW + MINUTE, NOW);
    assertThat(v.clock()).isEqualTo("real-time");
    assertThat(v.lastDelayMs()).isEqualTo(6 * 24 * 60 * MINUTE);
  }

  @Test
  void windowsTheBoardDroppedAreForgotten() {
    tracker.update(List.of(window(NOW + 47 * 60 * MINUTE, NOW, null, true)), List.of());
    assertThat(tracker.view(NOW, NOW).clock()).isEqualTo("fast");
    tracker.update(List.of(window(NOW - MINUTE, NOW - MINUTE + 3_000, null, true)),
        List.of(NOW + 47 * 60 * MINUTE - MINUTE));
    Views.LatencyView v = tracker.view(NOW, NOW - MINUTE);
    assertThat(v.clock()).isEqualTo("real-time");
    assertThat(v.lastDelayMs()).isEqualTo(3_000);
  }
}
