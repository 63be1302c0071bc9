package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A query that needs more memory than --memory-limit fails with a message naming the flag; nothing spills. */
class MemoryLimitTest {

  @TempDir Path dir;

  @Test
  void aQueryOverTheMemoryLimitFailsCleanlyAndTheNextOneRuns() {
    TestLakes.writeWindows(dir);
    QueryLimits limits = new QueryLimits(null, null, null, "64MB", 2, 1);
    try (LakeSql sql = LakeSql.open(dir, limits)) {
      assertThatThrownBy(() -> CollectedRows.query(sql,
          "SELECT count(DISTINCT range::VARCHAR || 'x') AS n FROM range(100000000)"))
          .isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.kind()).isEqualTo(QueryException.Kind.TOO_LARGE);
            assertThat(e.getMessage()).contains("--memory-limit").contains("64MB");
          });
      assertThat(CollectedRows.query(sql, "SELECT count(*) AS n FROM ultraserver_window").rows)
          .containsExactly(java.util.Map.of("n", (long) TestLakes.windows().size()));
    }
    assertThat(dir.resolve(".tmp")).doesNotExist();
  }
}
