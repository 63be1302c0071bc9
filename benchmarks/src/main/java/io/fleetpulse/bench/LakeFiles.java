package io.fleetpulse.bench;

import io.fleetpulse.jobs.sink.HivePartitionAssigner;
import io.fleetpulse.jobs.sink.ParquetSinks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Parquet files of the lake, written as the metrics job writes them ({@link ParquetSinks#writerBuilder}, Hive
 * partitions from {@link HivePartitionAssigner}), and what a table holds: rows (from the files' footers), bytes and
 * files, per UTC day.
 */
final class LakeFiles {

  private LakeFiles() {}

  /** A file of the table in the partition of {@code epochMs}: date=/hour=, or date= only for a daily table. */
  static Path file(Path lake, String table, long epochMs, boolean daily, String name) {
    String partition = daily ? HivePartitionAssigner.dayPartitionOf(epochMs) : HivePartitionAssigner.partitionOf(epochMs);
    return lake.resolve(table).resolve(partition).resolve(name + ".parquet");
  }

  static <T extends SpecificRecordBase> ParquetWriter<T> writer(Path file, Class<T> type) throws IOException {
    Files.createDirectories(file.getParent());
    return ParquetSinks.writerBuilder(new LocalOutputFile(file), type).withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  /** Writes the records to one file (nothing when there are none). */
  static <T extends SpecificRecordBase> void writeAll(Path file, Class<T> type, List<T> records) {
    if (records.isEmpty()) return;
    try (ParquetWriter<T> w = writer(file, type)) {
      for (T r : records) w.write(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one UTC day of a table holds. */
  record Day(long rows, long bytes, int files) {
    Day plus(Day o) {
      return new Day(rows + o.rows, bytes + o.bytes, files + o.files);
    }
  }

  /** The table's Parquet files by UTC day (date=YYYY-MM-DD), in date order. */
  static Map<String, Day> days(Path tableDir) {
    Map<String, Day> out = new TreeMap<>();
    if (!Files.isDirectory(tableDir)) return out;
    try (Stream<Path> files = Files.walk(tableDir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        String date = tableDir.relativize(f).getName(0).toString().replaceFirst("^date=", "");
        out.merge(date, new Day(rows(f), Files.size(f), 1), Day::plus);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static long rows(Path parquet) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(parquet))) {
      return r.getRecordCount();
    }
  }
}
