package io.fleetpulse.query;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the ITs over the shared pipeline lake have in common: the MiniCluster the lake's job runs on, the lake, the
 * generator's oracle over its period, and an endpoint-limited {@link LakeSql} over it.
 */
abstract class PipelineLakeQueries {

  @RegisterExtension
  static final MiniClusterExtension FLINK = PipelineLake.miniCluster();

  static PipelineLake lake;
  static SampleOracle oracle;
  static LakeSql sql;

  @BeforeAll
  static void openLake() throws Exception {
    lake = PipelineLake.get();
    oracle = lake.oracle();
    sql = LakeSql.open(lake.data, QueryLimits.endpoint());
  }

  @AfterAll
  static void closeLake() {
    if (sql != null) sql.close();
  }
}
