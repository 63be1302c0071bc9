package io.fleetpulse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.lake.LakeFiles;
import io.fleetpulse.lake.PartitionListing;
import io.fleetpulse.schema.Tables;
import io.fleetpulse.testing.LakeEquality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo maintains its lake: two hours and more of a small fleet at full speed end with at most 4 Parquet files in
 * every partition of every table (the same run without maintenance has dozens), holding the same rows.
 */
@Timeout(900)
class LakeMaintenanceDemoIT {

  @TempDir Path dir;

  static int demo(Path data, String lakeInterval) {
    return FleetPulseCli.commandLine().execute("demo", "--chips", "4096", "--interval", "30s", "--duration", "2h",
        "--speedup", "max", "--start", "2026-11-25T10:40:00Z", "--data", data.toString(), "--kafka-port", "0",
        "--web-port", "0", "--checkpoint-interval", "1s", "--lake-interval", lakeInterval, "--lake-grace", "1s");
  }

  static int mostFilesInAPartition(Path data) {
    int most = 0;
    for (String table : Tables.ALL) {
      for (PartitionListing l : LakeFiles.listings(data, table)) most = Math.max(most, l.parquetFiles().size());
    }
    return most;
  }

  @Test
  void theDemoEndsWithFewFilesPerPartitionAndTheRowsOfARunWithoutMaintenance() throws Exception {
    Path plain = dir.resolve("plain");
    Path maintained = dir.resolve("maintained");
    assertThat(demo(plain, "0s")).isZero();
    assertThat(demo(maintained, "2s")).isZero();

    assertThat(mostFilesInAPartition(plain)).as("files in a partition as the job writes them").isGreaterThan(4);
    assertThat(mostFilesInAPartition(maintained)).isBetween(1, 4);
    for (String table : List.of(Tables.ULTRASERVER_WINDOW, Tables.CHIP_TELEMETRY)) {
      assertThat(LakeFiles.partitions(maintained, table)).as(table).hasSize(3); // hours 10, 11 and 12
    }
    try (Stream<Path> left = Files.walk(maintained.resolve("_lake"))) {
      assertThat(left.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".lock")))
          .as("nothing left in staging or trash").isEmpty();
    }
    LakeEquality.assertEqual(plain, maintained);
  }
}
