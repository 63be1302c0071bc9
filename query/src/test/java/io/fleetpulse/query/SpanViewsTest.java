package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which grain a span view reads, over hand-written lakes. Oracle: the costs written (hour rows are given a cost
 * unlike their minutes' sum, so the answer tells which grain was read).
 */
class SpanViewsTest {

  static final Instant H0 = Instant.parse("2026-11-25T10:00:00Z");
  static final Instant H1 = H0.plusSeconds(3600);

  @TempDir
  Path dir;

  static WindowMetrics window(int us, String site, Instant start, double powerSumW, boolean hour) {
    WindowMetrics m = WindowRecords.of(new WindowRecords.Input(us, site, "trn2", start, 6, 3, powerSumW, 0, 0, 0.2));
    if (!hour) return m;
    return WindowMetrics.newBuilder(m).setWindowEnd(start.plusSeconds(3600)).setCostUsd(1000.0 + us).build();
  }

  /** Minutes 0..2 of H0 and H1 for UltraServers 1 (us-in) and 2 (us-pa); hour rows of H0 for {@code hourRowsOf}. */
  double write(List<Integer> hourRowsOf) {
    List<WindowMetrics> minutes = new ArrayList<>();
    for (Instant h : List.of(H0, H1)) {
      for (int m = 0; m < 3; m++) {
        minutes.add(window(1, "us-in", h.plusSeconds(60L * m), 30_000 + m, false));
        minutes.add(window(2, "us-pa", h.plusSeconds(60L * m), 40_000 + m, false));
      }
    }
    List<WindowMetrics> hours = new ArrayList<>();
    for (int us : hourRowsOf) hours.add(window(us, us == 1 ? "us-in" : "us-pa", H0, 90_000, true));
    LakeWriter.write(dir, Tables.ULTRASERVER_WINDOW, WindowMetrics.class, minutes, r -> r.getWindowStart().toEpochMilli());
    if (!hours.isEmpty()) {
      LakeWriter.write(dir, Tables.ULTRASERVER_HOUR, WindowMetrics.class, hours, r -> r.getWindowStart().toEpochMilli());
    }
    // Expected: every hour row, and the minutes of every (UltraServer, hour) without one.
    double cost = hours.stream().mapToDouble(WindowMetrics::getCostUsd).sum();
    for (WindowMetrics m : minutes) {
      boolean covered = m.getWindowStart().isBefore(H1) && hourRowsOf.contains(m.getUltraserverId());
      if (!covered) cost += m.getCostUsd();
    }
    return cost;
  }

  double spanCost() {
    try (LakeSql sql = LakeSql.open(dir, QueryLimits.endpoint())) {
      return ((Number) CollectedRows.query(sql, "SELECT sum(cost_usd) AS c FROM ultraserver_span").rows.get(0)
          .get("c")).doubleValue();
    }
  }

  void settle(String table) throws Exception {
    try (var partitions = Files.walk(dir.resolve(table))) {
      for (Path p : partitions.filter(Files::isDirectory).toList()) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(3600)));
      }
    }
  }

  @Test
  void aSettledHourIsReadFromItsHourRowsAndTheOpenHourFromItsMinutes() throws Exception {
    double expected = write(List.of(1, 2));
    settle(Tables.ULTRASERVER_HOUR);
    assertThat(spanCost()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void anHourPartitionJustWrittenIsTrustedOnlyForTheGroupsItHolds() {
    // Subtask of UltraServer 2 has not committed its hour row yet: its minutes must still count.
    double expected = write(List.of(1));
    assertThat(spanCost()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aLevelWithoutHourRowsHasNoSpanAndOnlyHourlyReportsAreRewritten() {
    write(List.of());
    try (LakeSql sql = LakeSql.open(dir, QueryLimits.endpoint())) {
      assertThat(sql.views()).doesNotContain("ultraserver_span");
    }
    String body = "SELECT * FROM ultraserver_window JOIN ultraserver_window_notes USING (x) JOIN site_window USING (y)";
    Report hourly = new Report("r", "t", "d", List.of("ultraserver_window"), body, true);
    Report minutes = new Report("r", "t", "d", List.of("ultraserver_window"), body, false);
    List<String> views = List.of("ultraserver_window", "ultraserver_span", "site_window");
    assertThat(hourly.sqlOver(views)).isEqualTo(
        "SELECT * FROM ultraserver_span JOIN ultraserver_window_notes USING (x) JOIN site_window USING (y)");
    assertThat(minutes.sqlOver(views)).isEqualTo(body);
    assertThat(Reports.named("carbon-by-site").hourly()).isTrue();
    assertThat(Reports.named("price-performance").hourly()).as("bands of UltraServer-minutes").isFalse();
  }
}
