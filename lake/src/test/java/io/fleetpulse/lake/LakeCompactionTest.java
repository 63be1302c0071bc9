package io.fleetpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.schema.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compaction over part files written as the job writes them. The oracle is the rows the test wrote; what a reader
 * reads is taken through {@link LakeFiles}, the listing the query views use, before, during (a crash at each step)
 * and after.
 */
class LakeCompactionTest {

  static final String RAW = Tables.CHIP_TELEMETRY;

  @TempDir Path dir;
  final AtomicLong clock = new AtomicLong(1_000_000_000L);

  LakeMaintenance maintenance(Duration grace, LakeMaintenance.Hook hook) {
    LakeMaintenance.Settings s = LakeMaintenance.Settings.defaults().withGrace(grace);
    return LakeMaintenance.of(dir, s, clock::get, hook);
  }

  /** Hour 0 and 1 with many files; hour 3 the newest, so with --seal-after 1h hours 0 and 1 are sealed. */
  TestLake lake() throws IOException {
    TestLake lake = new TestLake(dir);
    lake.hour(RAW, 0, 12, 50);
    lake.hour(RAW, 1, 7, 40);
    lake.hour(RAW, 3, 5, 10);
    return lake;
  }

  @Test
  void aSealedPartitionBecomesOneSortedFileWithTheSameRowsAndTheRepliacedFilesGoAfterTheGracePeriod()
      throws Exception {
    TestLake lake = lake();
    List<String> before = lake.read(RAW);
    assertThat(before).isEqualTo(lake.expected(RAW)).hasSize(12 * 50 + 7 * 40 + 5 * 10);
    List<String> lines = new ArrayList<>();

    PassReport first = maintenance(Duration.ofMinutes(2), (s, p) -> {}).run(true, false, lines::add);

    assertThat(first.partitionsCompacted()).isEqualTo(2);
    assertThat(first.filesBefore()).isEqualTo(19);
    assertThat(first.filesAfter()).isEqualTo(2);
    assertThat(lines).anyMatch(l -> l.contains("hour=00: 12 files to 1, 600 rows"));
    assertThat(lake.read(RAW)).isEqualTo(before);
    // In the grace period the originals stay on disk, unread; the newest hour is not sealed and stays as it was.
    assertThat(lake.onDisk(RAW, 0)).hasSize(13);
    assertThat(LakeFiles.visible(dir, RAW)).hasSize(1 + 1 + 5);
    assertThat(lake.onDisk(RAW, 3)).hasSize(5);

    clock.addAndGet(Duration.ofMinutes(2).toMillis());
    maintenance(Duration.ofMinutes(2), (s, p) -> {}).run(true, false, l -> {});

    assertThat(lake.read(RAW)).isEqualTo(before);
    assertThat(lake.onDisk(RAW, 0)).singleElement().asString().startsWith("part-compacted-");
    assertThat(lake.onDisk(RAW, 1)).hasSize(1);
    assertThat(lake.leftovers()).isZero();
    Path compacted = lake.partitionDir(RAW, 0).resolve(lake.onDisk(RAW, 0).get(0));
    assertSortedByTimeThenUltraServer(compacted);
    assertThat(typeOf(compacted, "event_time")).isEqualTo(typeOf(lake.partitionDir(RAW, 3)
        .resolve(lake.onDisk(RAW, 3).get(0)), "event_time")).isEqualTo("TIMESTAMP WITH TIME ZONE");
  }

  /** A crash at each step: readers read every row once meanwhile, and the next pass completes the compaction. */
  @ParameterizedTest
  @EnumSource(LakeMaintenance.Step.class)
  void aCrashAtAnyStepLosesAndRepeatsNoRowAndTheNextPassCompletesIt(LakeMaintenance.Step crashAt) throws Exception {
    TestLake lake = lake();
    List<String> expected = lake.expected(RAW);
    try {
      maintenance(Duration.ZERO, (s, p) -> {
        if (s == crashAt) throw new Crash();
      }).run(true, false, l -> {});
    } catch (Crash expectedCrash) {
      // the process died here
    }
    assertThat(lake.read(RAW)).as("rows read after a crash at %s", crashAt).isEqualTo(expected);

    PassReport next = maintenance(Duration.ZERO, (s, p) -> {}).run(true, false, l -> {});

    assertThat(next.problems()).isEmpty();
    assertThat(lake.read(RAW)).isEqualTo(expected);
    assertThat(lake.onDisk(RAW, 0)).hasSize(1);
    assertThat(lake.onDisk(RAW, 1)).hasSize(1);
    assertThat(lake.leftovers()).isZero();
    assertThat(LakeStatus.of(dir).get(RAW).pending()).isZero();
  }

  @Test
  void aPartFileCommittedAfterTheCompactionIsReadAndCompactedNextTime() throws Exception {
    TestLake lake = lake();
    maintenance(Duration.ZERO, (s, p) -> {}).run(true, false, l -> {});
    lake.hour(RAW, 0, 1, 25); // the job's late re-fire into a compacted hour

    assertThat(lake.read(RAW)).isEqualTo(lake.expected(RAW));
    assertThat(lake.onDisk(RAW, 0)).hasSize(2);

    maintenance(Duration.ZERO, (s, p) -> {}).run(true, false, l -> {});

    assertThat(lake.read(RAW)).isEqualTo(lake.expected(RAW)).hasSize(12 * 50 + 25 + 7 * 40 + 5 * 10);
    assertThat(lake.onDisk(RAW, 0)).hasSize(1);
    assertThat(lake.leftovers()).isZero();
    try (var s = Files.list(lake.partitionDir(RAW, 0))) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(CompactionMarker.PREFIX)))
          .as("the first compaction's record went with its output").hasSize(1);
    }
  }

  @Test
  void aCompactedFileWhoseMarkerTheListingMissedIsNotReadSoTheOriginalsAre() throws Exception {
    TestLake lake = lake();
    // As a listing racing with the rename sees it: the output there, its marker not (yet) seen.
    Path stray = lake.partitionDir(RAW, 0).resolve(CompactionMarker.outputName("x", 0));
    Files.copy(lake.partitionDir(RAW, 0).resolve(lake.onDisk(RAW, 0).get(0)), stray);

    assertThat(lake.read(RAW)).isEqualTo(lake.expected(RAW));
  }

  @Test
  void aCorruptFileLeavesItsPartitionAsItWasAndTheOthersAreCompacted() throws Exception {
    TestLake lake = lake();
    Path corrupt = lake.partitionDir(RAW, 0).resolve("part-corrupt-0.parquet");
    Files.write(corrupt, "PAR1 not really a parquet file PAR1".getBytes());
    List<String> before = lake.onDisk(RAW, 0);

    PassReport report = maintenance(Duration.ZERO, (s, p) -> {}).run(true, false, l -> {});

    assertThat(report.problems()).singleElement().asString().contains("hour=00").contains("left as it was");
    assertThat(lake.onDisk(RAW, 0)).isEqualTo(before);
    assertThat(lake.onDisk(RAW, 1)).hasSize(1);
    assertThat(report.partitionsCompacted()).isEqualTo(1);
    assertThat(lake.leftovers()).isZero();
    Files.delete(corrupt);
    assertThat(lake.read(RAW)).isEqualTo(lake.expected(RAW));
  }

  @Test
  void progressIsTheFleetWindowsNotARawArchiveRunningAheadOfThem() throws Exception {
    TestLake lake = new TestLake(dir);
    lake.hour(RAW, 0, 3, 5);
    lake.hour(RAW, 5, 2, 5); // read ahead from one Kafka partition while the watermark is still in hour 1
    lake.hour(Tables.FLEET_WINDOW, 1, 1, 1);

    maintenance(Duration.ZERO, (s, p) -> {}).run(true, false, l -> {});
    assertThat(lake.onDisk(RAW, 0)).as("hour 0 is not sealed before fleet windows reach hour 2").hasSize(3);

    lake.hour(Tables.FLEET_WINDOW, 2, 1, 1);
    maintenance(Duration.ZERO, (s, p) -> {}).run(true, false, l -> {});
    assertThat(lake.onDisk(RAW, 0)).hasSize(1);
    assertThat(lake.onDisk(RAW, 5)).hasSize(2);
    assertThat(lake.read(RAW)).isEqualTo(lake.expected(RAW));
  }

  @Test
  void theJobStoppedSealsTheNewestHourToo() throws Exception {
    TestLake lake = lake();
    LakeMaintenance.Settings s = LakeMaintenance.Settings.defaults().withGrace(Duration.ZERO).withJobStopped(true);
    LakeMaintenance.of(dir, s, clock::get, (x, p) -> {}).run(true, false, l -> {});

    assertThat(lake.onDisk(RAW, 3)).hasSize(1);
    assertThat(lake.read(RAW)).isEqualTo(lake.expected(RAW));
  }

  @Test
  void aSecondPassAtTheSameTimeIsSkipped() throws Exception {
    lake();
    Files.createDirectories(dir.resolve(LakeDirs.NAME));
    try (var ch = java.nio.channels.FileChannel.open(new LakeDirs(dir).lock(),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE); var held = ch.lock()) {
      PassReport report = maintenance(Duration.ZERO, (s, p) -> {}).run(true, false, l -> {});
      assertThat(report.skipped()).isTrue();
      assertThat(report.partitionsCompacted()).isZero();
    }
  }

  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;
  }

  static void assertSortedByTimeThenUltraServer(Path file) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT epoch_ms(event_time), ultraserver_id FROM read_parquet('" + file
            + "', file_row_number = true) ORDER BY file_row_number")) {
      long lastT = Long.MIN_VALUE;
      int lastU = Integer.MIN_VALUE;
      int n = 0;
      while (rs.next()) {
        long t = rs.getLong(1);
        int u = rs.getInt(2);
        assertThat(t > lastT || (t == lastT && u >= lastU)).as("row %d in order", n).isTrue();
        lastT = t;
        lastU = u;
        n++;
      }
      assertThat(n).isPositive();
    }
  }

  static String typeOf(Path file, String column) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('" + file
            + "')) WHERE column_name = '" + column + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
