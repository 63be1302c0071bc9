package io.fleetpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetpulse.schema.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention retires only partitions that are old (in the lake's event time) and covered by coarser rows, hides
 * them from readers at once, and deletes them after the grace period. Which table holds which rows does not matter
 * here, only which partitions hold files, so every table is written with raw samples.
 */
class LakeRetentionTest {

  @TempDir Path dir;
  final AtomicLong clock = new AtomicLong(5_000_000L);

  PassReport pass(Retention retention) {
    LakeMaintenance.Settings s = LakeMaintenance.Settings.defaults().withGrace(Duration.ofMinutes(2))
        .withRetention(retention);
    return LakeMaintenance.of(dir, s, clock::get, (x, p) -> {}).run(false, true, l -> {});
  }

  @Test
  void onlyOldPartitionsWhoseHourAndDayRowsAreCommittedGoAndOnlyAfterTheGracePeriod() throws Exception {
    TestLake lake = new TestLake(dir);
    for (int h = 0; h <= 6; h++) lake.hour(Tables.SITE_WINDOW, h, 2, 5);
    for (int h : new int[] {0, 2, 3}) lake.hour(Tables.SITE_HOUR, h, 1, 1); // hour 1 not rolled up (yet)
    lake.hour(Tables.SITE_DAY, 0, 1, 1);
    // The day table sits in date folders only.
    Path dayDir = lake.partitionDir(Tables.SITE_DAY, 0);
    Path dateDir = dayDir.getParent();
    try (var s = Files.list(dayDir)) {
      for (Path f : s.toList()) Files.move(f, dateDir.resolve(f.getFileName()));
    }
    Files.delete(dayDir);

    // Newest hour 6: with 3h, hours ending by 03:00 are old enough: 0, 1, 2. Hour 1 is not covered.
    PassReport report = pass(Retention.parse(Map.of(Tables.SITE_WINDOW, "3h")));

    assertThat(report.retired()).isEqualTo(2);
    List<String> read = lake.read(Tables.SITE_WINDOW);
    assertThat(read).isEqualTo(lake.expected(Tables.SITE_WINDOW).stream()
        .filter(l -> !l.endsWith("|0") && !l.endsWith("|2")).toList());
    assertThat(Files.exists(lake.partitionDir(Tables.SITE_WINDOW, 0))).as("kept during the grace period").isTrue();

    clock.addAndGet(Duration.ofMinutes(2).toMillis());
    pass(Retention.parse(Map.of(Tables.SITE_WINDOW, "3h")));

    assertThat(Files.exists(lake.partitionDir(Tables.SITE_WINDOW, 0))).isFalse();
    assertThat(Files.exists(lake.partitionDir(Tables.SITE_WINDOW, 2))).isFalse();
    assertThat(Files.exists(lake.partitionDir(Tables.SITE_WINDOW, 1))).isTrue();
    assertThat(lake.read(Tables.SITE_WINDOW)).isEqualTo(read);
    assertThat(lake.read(Tables.SITE_HOUR)).isEqualTo(lake.expected(Tables.SITE_HOUR));
    assertThat(lake.leftovers()).isZero();
  }

  @Test
  void aMinuteTableWithADayTableWaitsForTheDayRows() throws Exception {
    TestLake lake = new TestLake(dir);
    for (int h = 0; h <= 6; h++) lake.hour(Tables.FLEET_WINDOW, h, 1, 3);
    lake.hour(Tables.FLEET_HOUR, 0, 1, 1);

    PassReport report = pass(Retention.parse(Map.of("minute", "2h")));

    assertThat(report.retired()).isZero();
    assertThat(lake.read(Tables.FLEET_WINDOW)).isEqualTo(lake.expected(Tables.FLEET_WINDOW));
  }

  @Test
  void theRawArchiveGoesOnceUltraServerHoursCoverIt() throws Exception {
    TestLake lake = new TestLake(dir);
    for (int h = 0; h <= 4; h++) lake.hour(Tables.CHIP_TELEMETRY, h, 1, 3);
    lake.hour(Tables.ULTRASERVER_HOUR, 0, 1, 1);
    lake.hour(Tables.ULTRASERVER_HOUR, 1, 1, 1);

    PassReport report = pass(Retention.parse(Map.of(Tables.CHIP_TELEMETRY, "1h")));

    // Old enough: hours ending by 03:00 (newest 4, --seal-after 1h over 1h of age); covered: 0 and 1.
    assertThat(report.retired()).isEqualTo(2);
    assertThat(lake.read(Tables.CHIP_TELEMETRY)).allMatch(l -> l.endsWith("|2") || l.endsWith("|3")
        || l.endsWith("|4"));
  }

  @Test
  void retentionIsOffUnlessSetAndRefusesTablesNothingCovers() {
    assertThat(Retention.parse(Map.of()).off()).isTrue();
    assertThat(Retention.parse(Map.of("minute", "7d")).ages()).containsKeys(Tables.ULTRASERVER_WINDOW,
        Tables.SITE_WINDOW, Tables.TENANT_WINDOW).doesNotContainKey(Tables.CHIP_TELEMETRY);
    assertThatThrownBy(() -> Retention.parse(Map.of(Tables.ALERTS, "7d"))).hasMessageContaining("alerts cannot be");
    assertThatThrownBy(() -> Retention.parse(Map.of(Tables.ULTRASERVER_HOUR, "7d")))
        .hasMessageContaining("cannot be retired");
    assertThatThrownBy(() -> Retention.parse(Map.of(Tables.SITE_WINDOW, "soon"))).hasMessageContaining("soon");
  }
}
