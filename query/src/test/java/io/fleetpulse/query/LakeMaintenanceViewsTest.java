package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.lake.LakeMaintenance;
import io.fleetpulse.lake.PassReport;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query views over a lake being maintained: they read each row once before, during (the replaced files still
 * on disk for their grace period, where a glob reads them twice) and after a compaction, and a part file committed
 * after it; {@code <level>_metrics} reads minute rows where they are, hour rows elsewhere. The oracle is the
 * records written.
 */
class LakeMaintenanceViewsTest {

  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @TempDir Path data;
  final List<String> written = new ArrayList<>();
  int next;

  /** {@code files} part files of {@code rows} UltraServer windows each, in hour {@code hour}. */
  void write(String table, int hour, int files, int rows) {
    for (int f = 0; f < files; f++) {
      List<WindowMetrics> records = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        int us = next++;
        Instant start = T0.plusSeconds(hour * 3600L + (us % 60) * 60L);
        records.add(WindowRecords.of(new WindowRecords.Input(us, "us-in", "trn2", start, 384, 200.0 + us % 7,
            150_000.0, 0, 0.0, 0.3)));
        written.add(table + " " + us + " " + start.toEpochMilli());
      }
      LakeWriter.write(data, table, WindowMetrics.class, records, w -> w.getWindowStart().toEpochMilli());
    }
  }

  List<String> read(LakeSql sql, String table) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r : CollectedRows.query(sql, "SELECT ultraserver_id AS u, epoch_ms(window_start) AS t "
        + "FROM " + table).rows) {
      out.add(table + " " + r.get("u") + " " + r.get("t"));
    }
    out.sort(null);
    return out;
  }

  List<String> expected(String table) {
    return written.stream().filter(l -> l.startsWith(table + " ")).sorted().toList();
  }

  long globCount(String table) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + data.resolve(table)
            + "/**/*.parquet')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theViewsReadEachRowOnceBeforeDuringAndAfterACompactionAndALateFile() throws Exception {
    String t = Tables.ULTRASERVER_WINDOW;
    write(t, 0, 8, 30);
    write(t, 1, 6, 20);
    write(t, 3, 4, 10);
    try (LakeSql sql = LakeSql.open(data, QueryLimits.endpoint())) {
      assertThat(read(sql, t)).isEqualTo(expected(t)).hasSize(8 * 30 + 6 * 20 + 4 * 10);

      PassReport pass = LakeMaintenance.of(data, LakeMaintenance.Settings.defaults().withGrace(Duration.ofHours(1)))
          .run(true, false, l -> {});

      assertThat(pass.partitionsCompacted()).isEqualTo(2);
      assertThat(globCount(t)).as("a glob reads the replaced files too").isEqualTo(2L * (8 * 30 + 6 * 20) + 4 * 10);
      assertThat(read(sql, t)).isEqualTo(expected(t));

      write(t, 0, 1, 5); // a late re-fire into the compacted hour
      assertThat(read(sql, t)).isEqualTo(expected(t));
      assertThat(CollectedRows.query(sql, "SELECT count(*) AS n FROM " + t + " WHERE hour = 0").rows.get(0).get("n"))
          .isEqualTo(8L * 30 + 5);
    }
  }

  @Test
  void levelMetricsReadMinuteRowsWhereTheyAreAndHourRowsElsewhere() throws Exception {
    write(Tables.SITE_WINDOW, 1, 2, 10);
    write(Tables.SITE_WINDOW, 2, 1, 10);
    write(Tables.SITE_HOUR, 0, 1, 3);
    write(Tables.SITE_HOUR, 1, 1, 3);
    write(Tables.SITE_DAY, -24, 1, 2); // the day before: no minute or hour rows left for it
    write(Tables.SITE_DAY, 0, 1, 4); // a day that has finer rows: not read
    dayFolders(Tables.SITE_DAY);
    try (LakeSql sql = LakeSql.open(data, QueryLimits.endpoint())) {
      assertThat(sql.views()).contains(Tables.SITE_WINDOW, Tables.SITE_HOUR, "site_metrics")
          .doesNotContain("ultraserver_metrics");
      List<Map<String, Object>> rows = CollectedRows.query(sql, "SELECT grain, hour, count(*) AS n FROM site_metrics "
          + "GROUP BY ALL ORDER BY hour NULLS FIRST").rows;
      assertThat(rows).extracting(r -> r.get("grain") + "@" + r.get("hour") + "=" + r.get("n"))
          .containsExactly("day@null=2", "hour@0=3", "minute@1=20", "minute@2=10");
    }
  }

  /** Day tables sit in date folders only: moves the files LakeWriter put in hour folders up. */
  void dayFolders(String table) throws Exception {
    try (var dates = Files.list(data.resolve(table))) {
      for (Path date : dates.toList()) {
        try (var hours = Files.list(date)) {
          for (Path hour : hours.toList()) {
            try (var files = Files.list(hour)) {
              for (Path f : files.toList()) Files.move(f, date.resolve(f.getFileName()));
            }
            Files.delete(hour);
          }
        }
      }
    }
  }
}
