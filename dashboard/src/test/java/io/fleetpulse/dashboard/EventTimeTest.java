package io.fleetpulse.dashboard;

import static io.fleetpulse.dashboard.FleetBoardTest.assertRejected;
import static io.fleetpulse.dashboard.TestRecords.MINUTE;
import static io.fleetpulse.dashboard.TestRecords.T0;
import static io.fleetpulse.dashboard.TestRecords.alert;
import static io.fleetpulse.dashboard.TestRecords.ultraserver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.schema.AlertStatus;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Event time is the stream's own: a record far from it is held, not shown, unless the stream moves there. Windows
 * are judged against each other, never against the wall clock (the records here are from November 2026).
 */
class EventTimeTest {

  static final long HOURS_47 = 47 * 60 * MINUTE;
  static final long DAYS_3 = 3 * 24 * 60 * MINUTE;

  private final StreamStatus status = new StreamStatus();
  private final FleetBoard board = new FleetBoard(10, 50, FleetBounds.defaults(), status);
  private long now = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();

  /** Six UltraServers for the window, each counted as the Kafka thread counts them. */
  private void window(long start) {
    for (int us = 0; us < 6; us++) offer(ultraserver(start, us, us % 2 == 0 ? "us-in" : "us-pa", 0.5f + us / 20f));
  }

  private void offer(WindowMetrics m) {
    try {
      board.accept(m, new Arrival(now, true));
    } catch (RecordRejected e) {
      status.skipped(e.reason(), "test", e.getMessage());
    }
  }

  private List<Long> shownStarts() {
    return board.drainChangedWindows().stream().map(Views.WindowView::windowStart).toList();
  }

  @Test
  void aWindowFarAheadIsHeldNeitherShownNorTheNewest() {
    for (int w = 0; w < 3; w++) window(T0 + w * MINUTE);
    assertRejected(() -> board.accept(ultraserver(T0 + HOURS_47, 1, "us-in", 0.9f), new Arrival(now, true)),
        SkipReason.AHEAD, "more than 5 windows ahead");
    for (int w = 3; w < 5; w++) window(T0 + w * MINUTE);

    assertThat(shownStarts()).containsExactly(T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE, T0 + 4 * MINUTE);
    assertThat(board.newestWindowEnd()).isEqualTo(T0 + 5 * MINUTE);
    assertThat(board.heldRecords()).isEqualTo(1);
    // A window a few minutes ahead is a partition running ahead, and is taken at once.
    offer(ultraserver(T0 + 9 * MINUTE, 1, "us-in", 0.4f));
    assertThat(shownStarts()).containsExactly(T0 + 9 * MINUTE);
  }

  @Test
  void whenTheWholeStreamJumpsAheadTheBoardFollowsWithoutLosingARecord() {
    for (int w = 0; w < 3; w++) window(T0 + w * MINUTE);
    shownStarts();
    // The job restarted three days later: its records are held until enough UltraServers vouch for the new time.
    window(T0 + DAYS_3);

    List<Views.WindowView> shown = board.drainChangedWindows();
    assertThat(shown).extracting(Views.WindowView::windowStart).containsExactly(T0 + DAYS_3);
    assertThat(shown.get(0).fleet().ultraservers()).isEqualTo(6);
    // The old windows are gone from the board and must go from the browsers too; they were real, not skipped.
    assertThat(board.drainRemovedWindows()).containsExactly(T0, T0 + MINUTE, T0 + 2 * MINUTE);
    assertThat(status.skippedCount()).isZero();
    assertThat(board.heldRecords()).isZero();
  }

  @Test
  void aStrayFirstRecordGivesWayToTheStreamAndIsCountedAsAhead() {
    offer(ultraserver(T0 + HOURS_47, 9, "us-in", 0.9f));
    assertThat(board.newestWindowEnd()).isEqualTo(T0 + HOURS_47 + MINUTE);
    shownStarts();

    window(T0);
    window(T0 + MINUTE);

    assertThat(board.newestWindowEnd()).isEqualTo(T0 + 2 * MINUTE);
    assertThat(board.drainRemovedWindows()).containsExactly(T0 + HOURS_47);
    List<Views.WindowView> shown = board.drainChangedWindows();
    assertThat(shown).extracting(Views.WindowView::windowStart).containsExactly(T0, T0 + MINUTE);
    assertThat(shown).allSatisfy(w -> assertThat(w.fleet().ultraservers()).isEqualTo(6));
    assertThat(status.skippedCount(SkipReason.AHEAD)).isEqualTo(1);
    assertThat(status.skippedCount()).isEqualTo(1);
  }

  @Test
  void aHandfulOfRecordsFarAheadDoNotOutweighAStreamOfThousands() {
    // Sixteen UltraServers a window vouch for the stream; a held group needs four distinct sources to move it...
    for (int w = 0; w < 2; w++) {
      for (int us = 0; us < 16; us++) offer(ultraserver(T0 + w * MINUTE, us, "us-ms", 0.5f));
    }
    for (int us = 100; us < 103; us++) offer(ultraserver(T0 + HOURS_47, us, "us-ms", 0.9f));
    assertThat(board.newestWindowEnd()).isEqualTo(T0 + 2 * MINUTE);
    assertThat(status.skippedCount(SkipReason.AHEAD)).isEqualTo(3);
    // ...and one that got them, the stream wins back as soon as its next window outweighs them twice over.
    offer(ultraserver(T0 + HOURS_47, 103, "us-ms", 0.9f));
    assertThat(board.newestWindowEnd()).isEqualTo(T0 + HOURS_47 + MINUTE);
    for (int us = 0; us < 16; us++) offer(ultraserver(T0 + 2 * MINUTE, us, "us-ms", 0.5f));
    assertThat(board.newestWindowEnd()).isEqualTo(T0 + 3 * MINUTE);
    assertThat(status.skippedCount(SkipReason.AHEAD)).isEqualTo(4);
    assertThat(status.skippedCount(SkipReason.TOO_OLD)).isZero();
  }

  @Test
  void aHeldRecordIsDroppedWhenTheStreamGetsThereWithoutIt() {
    window(T0);
    offer(ultraserver(T0 + 8 * MINUTE, 1, "us-pa", 0.99f));
    assertThat(status.skippedCount(SkipReason.AHEAD)).isEqualTo(1);
    for (int w = 1; w <= 8; w++) window(T0 + w * MINUTE);

    // UltraServer 1 of that window is the stream's record, not the one held (which would have come first).
    Views.WindowView last = board.drainChangedWindows().stream()
        .filter(v -> v.windowStart() == T0 + 8 * MINUTE).findFirst().orElseThrow();
    assertThat(last.fleet().ultraservers()).isEqualTo(6);
    assertThat(last.fleet().utilizationAvg()).isCloseTo((0.5 + 0.55 + 0.6 + 0.65 + 0.7 + 0.75) / 6, within(1e-6));
    assertThat(board.heldRecords()).isZero();
    assertThat(status.skippedCount(SkipReason.AHEAD)).isEqualTo(1);
  }

  @Test
  void heldRecordsAreForgottenWhenNoMoreComeLikeThem() {
    window(T0);
    offer(ultraserver(T0 + DAYS_3, 1, "us-pa", 0.5f));
    offer(ultraserver(T0 + DAYS_3, 2, "us-pa", 0.5f));
    now += FleetBoard.HOLD_MS + 1;
    // Two more of that time, after the first two were forgotten: not yet enough to move the board.
    offer(ultraserver(T0 + DAYS_3, 3, "us-pa", 0.5f));
    offer(ultraserver(T0 + DAYS_3, 4, "us-pa", 0.5f));
    assertThat(board.newestWindowEnd()).isEqualTo(T0 + MINUTE);
    assertThat(board.heldRecords()).isEqualTo(2);
    assertThat(status.skippedCount(SkipReason.AHEAD)).isEqualTo(4);
  }

  @Test
  void aWindowOfAnotherLengthIsNotTheStreams() {
    window(T0);
    WindowMetrics fiveMinutes = WindowMetrics.newBuilder(ultraserver(T0, 7, "us-in", 0.5f))
        .setWindowEnd(Instant.ofEpochMilli(T0 + 5 * MINUTE)).build();
    assertRejected(() -> board.accept(fiveMinutes), SkipReason.BAD_TIME, "differs in length");
  }

  @Test
  void anAlertFarAheadOfTheStreamIsSkipped() {
    window(T0);
    assertRejected(() -> board.accept(alert("x", AlertStatus.OPEN, T0 + HOURS_47, "from the future")),
        SkipReason.AHEAD, "past the stream's newest window");
    assertThat(board.accept(alert("y", AlertStatus.OPEN, T0 + MINUTE, "now"))).isEqualTo(FleetBoard.Outcome.CHANGED);
  }
}
