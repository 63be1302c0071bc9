package io.fleetpulse.lake;

import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.WorkloadKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Test lakes of raw samples written as the job writes them (parquet-avro, the record's own schema, Snappy, one
 * part file per "subtask and checkpoint"), and what a reader reads from them through {@link LakeFiles}. The rows a
 * test wrote are its oracle: each as one line {@code chip|epoch ms|utilization|date|hour}.
 */
final class TestLake {

  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final long HOUR = 3_600_000L;

  final Path root;
  final List<String> written = new ArrayList<>();
  private final Random random = new Random(7);
  private int part;

  TestLake(Path root) {
    this.root = root;
  }

  /** Writes {@code files} part files of {@code rowsPerFile} samples each into hour {@code hour} (from T0). */
  List<Path> hour(String table, int hour, int files, int rowsPerFile) throws IOException {
    List<Path> out = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      List<ChipSample> rows = new ArrayList<>();
      for (int r = 0; r < rowsPerFile; r++) {
        // Times deliberately out of order across and within files: compaction sorts them.
        long t = T0.toEpochMilli() + hour * HOUR + random.nextInt(360) * 10_000L;
        rows.add(sample(random.nextInt(4096), t));
      }
      out.add(write(table, hour, rows));
    }
    return out;
  }

  static ChipSample sample(int chip, long t) {
    return ChipSample.newBuilder().setChipId(chip).setInstanceId(chip / 16).setUltraserverId(chip / 64)
        .setSite(chip % 3 == 0 ? "us-in" : "us-pa").setGeneration("trn2").setWorkloadId(chip / 256)
        .setWorkloadKind(WorkloadKind.values()[chip % WorkloadKind.values().length]).setEventTime(Instant.ofEpochMilli(t))
        .setIntervalMs(10_000).setUtilization(chip / 4096.0 + t % 997 / 1e6).setHbmUsedGib(12.5).setPowerW(400 + chip % 100)
        .setRenewableShare(0.3).setEccCorrectedTotal(chip).setEccUncorrectedTotal(0).setTenant(chip % 2 == 0 ? "t1" : null)
        .build();
  }

  Path write(String table, int hour, List<ChipSample> rows) throws IOException {
    Path dir = partitionDir(table, hour);
    Path file = dir.resolve("part-test-" + (part++) + "-0.parquet");
    Files.createDirectories(dir);
    try (ParquetWriter<ChipSample> w = AvroParquetWriter.<ChipSample>builder(new LocalOutputFile(file))
        .withSchema(ChipSample.getClassSchema()).withDataModel(SpecificData.get())
        .withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
      for (ChipSample s : rows) {
        w.write(s);
        written.add(line(s, table, hour));
      }
    }
    return file;
  }

  Path partitionDir(String table, int hour) {
    Instant start = T0.plusMillis(hour * HOUR);
    String date = start.toString().substring(0, 10);
    int h = (int) ((start.toEpochMilli() / HOUR) % 24);
    return root.resolve(table).resolve("date=" + date).resolve(String.format("hour=%02d", h));
  }

  private String line(ChipSample s, String table, int hour) {
    Instant start = T0.plusMillis(hour * HOUR);
    return table + "|" + s.getChipId() + "|" + s.getEventTime().toEpochMilli() + "|" + s.getUtilization() + "|"
        + start.toString().substring(0, 10) + "|" + (start.toEpochMilli() / HOUR) % 24;
  }

  /** The rows a reader reads now, through the listing, as the oracle's lines (a multiset: sorted, duplicates kept). */
  List<String> read(String table) throws SQLException {
    String source = LakeFiles.readParquet(LakeFiles.visible(root, table));
    List<String> out = new ArrayList<>();
    if (source == null) return out;
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs = st.executeQuery("SELECT chip_id, epoch_ms(event_time), utilization, strftime(date, '%Y-%m-%d'), "
          + "hour FROM " + source)) {
        while (rs.next()) {
          out.add(table + "|" + rs.getInt(1) + "|" + rs.getLong(2) + "|" + rs.getDouble(3) + "|" + rs.getString(4) + "|"
              + rs.getInt(5));
        }
      }
    }
    out.sort(null);
    return out;
  }

  List<String> expected(String table) {
    return written.stream().filter(l -> l.startsWith(table + "|")).sorted().toList();
  }

  /** Parquet files on disk in a partition, read or not. */
  List<String> onDisk(String table, int hour) throws IOException {
    try (Stream<Path> s = Files.list(partitionDir(table, hour))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).sorted().toList();
    }
  }

  /** Everything under {@code _lake/staging} and {@code _lake/trash}, files and folders, but these two. */
  long leftovers() throws IOException {
    Path base = root.resolve(LakeDirs.NAME);
    long n = 0;
    for (Path d : List.of(base.resolve("staging"), base.resolve("trash"))) {
      if (!Files.exists(d)) continue;
      try (Stream<Path> s = Files.walk(d)) {
        n += s.filter(p -> !p.equals(d)).count();
      }
    }
    return n;
  }
}
