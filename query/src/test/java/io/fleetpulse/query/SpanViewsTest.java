package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which span views a lake gets, and how an hourly report is pointed at them. */
class SpanViewsTest {

  @Test
  void aLevelGetsASpanOnlyOnceItHasHourRows() {
    List<String> sql = SpanViews.statements(List.of("ultraserver_window", "site_window", "site_hour", "fleet_hour"));
    assertThat(sql).hasSize(2);
    assertThat(sql.get(0)).startsWith("CREATE OR REPLACE VIEW site_span AS SELECT * FROM site_hour UNION ALL BY NAME")
        .contains("ANTI JOIN (SELECT DISTINCT site, date, hour FROM site_hour) h ON w.date = h.date AND w.hour = h.hour"
            + " AND w.site IS NOT DISTINCT FROM h.site");
    assertThat(sql.get(1)).isEqualTo("CREATE OR REPLACE VIEW fleet_span AS SELECT * FROM fleet_hour");
  }

  @Test
  void onlyHourlyReportsAreRewrittenAndOnlyWholeTableNames() {
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
