package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's own lock, with the SQL guard out of the way: what DuckDB itself refuses once the lake database is
 * set up (file access outside the table folders, extensions, attaching files, changing any setting), so that a
 * statement slipping past the guard still meets a wall.
 */
class LakeLockTest {

  @TempDir static Path dir;
  static Path data;
  static LakeSql sql;

  @BeforeAll
  static void open() throws IOException {
    data = dir.resolve("data");
    TestLakes.writeWindows(data);
    Files.createDirectories(data.resolve("_kafka"));
    Files.writeString(data.resolve("_kafka/secret.txt"), "broker secret\n");
    Files.createDirectories(data.resolve("ultraserver_window_old"));
    Files.writeString(data.resolve("ultraserver_window_old/a.csv"), "x\n1\n");
    sql = LakeSql.open(data, QueryLimits.endpoint());
  }

  @AfterAll
  static void close() {
    sql.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM read_text('/etc/passwd')",
      "SELECT * FROM read_text('{data}/_kafka/secret.txt')",
      "SELECT * FROM read_text('{data}/ultraserver_window/../_kafka/secret.txt')",
      "SELECT * FROM read_csv('{data}/ultraserver_window_old/a.csv')",
      "SELECT * FROM glob('{data}/*')",
      "COPY (SELECT 1) TO '{dir}/out.csv'",
      "ATTACH '{dir}/attached.db' AS other",
      "INSTALL httpfs",
      "LOAD httpfs",
      "SET enable_external_access = true",
      "SET GLOBAL allowed_directories = ['/']",
      "SET threads = 64",
      "SET memory_limit = '100GB'",
      "SET temp_directory = '{dir}/spill'",
      "SET lock_configuration = false",
  })
  void theEngineRefusesWithoutTheGuard(String statement) throws SQLException {
    String s = statement.replace("{data}", data.toString()).replace("{dir}", dir.toString());
    try (Connection c = sql.connectionWithoutGuard(); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute(s)).isInstanceOf(SQLException.class)
          .hasMessageMatching("(?s).*(Permission Error|configuration has been locked|disabled).*");
    }
    assertThat(dir.resolve("out.csv")).doesNotExist();
    assertThat(dir.resolve("attached.db")).doesNotExist();
    assertThat(dir.resolve("spill")).doesNotExist();
  }

  @Test
  void theViewsStillReadTheirOwnFiles() throws SQLException {
    try (Connection c = sql.connectionWithoutGuard(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), min(date), max(date), max(hour) FROM ultraserver_window")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(TestLakes.windows().size());
      assertThat(rs.getString(2)).isEqualTo("2026-11-25");
      assertThat(rs.getString(3)).isEqualTo("2026-11-26");
      assertThat(rs.getInt(4)).isEqualTo(23);
    }
  }

  @Test
  void theSettingsAreTheOnesAsked() throws SQLException {
    try (Connection c = sql.connectionWithoutGuard(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('enable_external_access'), "
            + "current_setting('lock_configuration'), current_setting('autoinstall_known_extensions'), "
            + "current_setting('autoload_known_extensions'), current_setting('threads'), "
            + "current_setting('memory_limit'), current_setting('TimeZone'), current_setting('temp_directory')")) {
      rs.next();
      assertThat(rs.getBoolean(1)).isFalse();
      assertThat(rs.getBoolean(2)).isTrue();
      assertThat(rs.getBoolean(3)).isFalse();
      assertThat(rs.getBoolean(4)).isFalse();
      assertThat(rs.getInt(5)).isEqualTo(QueryLimits.ENDPOINT_THREADS);
      assertThat(rs.getString(6)).isEqualTo("1.8 GiB"); // 2GB as DuckDB shows it
      assertThat(rs.getString(7)).isEqualTo("UTC");
      assertThat(rs.getString(8)).isEmpty();
    }
  }
}
