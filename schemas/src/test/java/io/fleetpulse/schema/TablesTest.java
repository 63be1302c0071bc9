package io.fleetpulse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-level table names the job writes are the ones the readers list. */
class TablesTest {

  @Test
  void everyLevelsTablesAreListed() {
    for (AggregationLevel level : AggregationLevel.values()) {
      assertThat(Tables.ALL).contains(Tables.of(level, "window"));
      assertThat(Tables.HOURLY).contains(Tables.of(level, "hour"));
      if (level != AggregationLevel.ULTRASERVER) assertThat(Tables.DAILY).contains(Tables.of(level, "day"));
    }
    assertThat(Tables.of(AggregationLevel.SITE, "hour")).isEqualTo(Tables.SITE_HOUR);
    assertThat(Tables.HOURLY).hasSize(AggregationLevel.values().length);
    assertThat(Tables.DAILY).hasSize((int) Arrays.stream(AggregationLevel.values())
        .filter(l -> l != AggregationLevel.ULTRASERVER).count());
  }
}
