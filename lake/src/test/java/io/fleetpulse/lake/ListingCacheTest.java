package io.fleetpulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.schema.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cached listing is reused only while its folder is unchanged and settled; any change is seen at once. */
class ListingCacheTest {

  @TempDir Path dir;

  static List<String> visible(ListingCache cache, Path root) {
    return cache.listings(root, Tables.CHIP_TELEMETRY).stream().flatMap(l -> l.visible().stream()).toList();
  }

  @Test
  void aSettledFolderIsListedOnceAndAChangeIsSeenAtTheNextLook() throws Exception {
    TestLake lake = new TestLake(dir);
    lake.hour(Tables.CHIP_TELEMETRY, 0, 2, 3);
    Path partition = lake.partitionDir(Tables.CHIP_TELEMETRY, 0);
    Files.setLastModifiedTime(partition, FileTime.from(Instant.now().minusSeconds(60)));
    ListingCache cache = new ListingCache();

    assertThat(visible(cache, dir)).hasSize(2);
    assertThat(visible(cache, dir)).hasSize(2);
    assertThat(cache.listed()).as("the second look reused the first").isEqualTo(1);

    lake.hour(Tables.CHIP_TELEMETRY, 0, 1, 3); // the job commits a file: the folder's time moves
    assertThat(visible(cache, dir)).hasSize(3);
    assertThat(cache.listed()).isEqualTo(2);
  }

  @Test
  void aFolderChangedJustNowIsListedEveryTime() throws Exception {
    TestLake lake = new TestLake(dir);
    lake.hour(Tables.CHIP_TELEMETRY, 0, 2, 3);
    ListingCache cache = new ListingCache();

    visible(cache, dir);
    visible(cache, dir);
    // Within the clock's granularity a change could keep the same time: not trusted yet.
    assertThat(cache.listed()).isEqualTo(2);
  }
}
