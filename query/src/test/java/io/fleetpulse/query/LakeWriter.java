package io.fleetpulse.query;

import io.fleetpulse.jobs.sink.HivePartitionAssigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes records as the metrics job does (ParquetSinks: parquet-avro with the record's own schema and data model,
 * Snappy, Hive partitions from {@link HivePartitionAssigner}, part-*.parquet files), without a Flink job around
 * it: for test lakes whose exact content the test chooses.
 */
final class LakeWriter {

  private static final AtomicInteger PART = new AtomicInteger();

  private LakeWriter() {}

  static <T extends SpecificRecordBase> void write(Path root, String table, Class<T> type, List<T> records,
      ToLongFunction<T> partitionTime) {
    Map<String, List<T>> byPartition = new TreeMap<>();
    for (T r : records) {
      byPartition.computeIfAbsent(HivePartitionAssigner.partitionOf(partitionTime.applyAsLong(r)),
          p -> new ArrayList<>()).add(r);
    }
    byPartition.forEach((partition, rows) -> {
      Path file = root.resolve(table).resolve(partition).resolve("part-test-" + PART.getAndIncrement() + ".parquet");
      try (ParquetWriter<T> w = writer(file, type)) {
        for (T r : rows) w.write(r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static <T extends SpecificRecordBase> ParquetWriter<T> writer(Path file, Class<T> type) throws IOException {
    Files.createDirectories(file.getParent());
    return AvroParquetWriter.<T>builder(new LocalOutputFile(file))
        .withSchema(SpecificData.get().getSchema(type))
        .withDataModel(SpecificData.get())
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }
}
