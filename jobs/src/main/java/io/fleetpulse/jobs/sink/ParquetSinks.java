package io.fleetpulse.jobs.sink;

import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.schema.Tables;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * Exactly-once Parquet tables: one FileSink per table under the output root, Hive-partitioned by event time,
 * part files rolled and committed on each checkpoint (in-progress files are hidden, so readers only see committed
 * data), Snappy-compressed, with a {@code .parquet} suffix so every reader recognises them.
 */
public final class ParquetSinks {

  private ParquetSinks() {}

  public static <T extends SpecificRecordBase> FileSink<T> table(String root, String table, Class<T> type,
      SerializableFunction<T, Long> partitionTime) {
    return table(root, table, snappyWriter(type), partitionTime);
  }

  /** A daily table: partitioned date= only. */
  public static <T extends SpecificRecordBase> FileSink<T> dailyTable(String root, String table, Class<T> type,
      SerializableFunction<T, Long> partitionTime) {
    return sink(root, table, snappyWriter(type), new HivePartitionAssigner<>(partitionTime, true));
  }

  /** The raw archive: every sample counted, written from the job's own readings. */
  public static FileSink<ChipReading> rawArchive(String root) {
    return table(root, Tables.CHIP_TELEMETRY, ChipReadingParquet.writerFactory(), r -> r.eventTime);
  }

  static <T> FileSink<T> table(String root, String table, ParquetWriterFactory<T> writer,
      SerializableFunction<T, Long> partitionTime) {
    return sink(root, table, writer, new HivePartitionAssigner<>(partitionTime));
  }

  private static <T> FileSink<T> sink(String root, String table, ParquetWriterFactory<T> writer,
      HivePartitionAssigner<T> partitions) {
    return FileSink.forBulkFormat(new Path(root + "/" + table), writer)
        .withBucketAssigner(partitions)
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
        .build();
  }

  static <T extends SpecificRecordBase> ParquetWriterFactory<T> snappyWriter(Class<T> type) {
    return new ParquetWriterFactory<>(out -> writerBuilder(out, type).build());
  }

  /**
   * How the job writes a table's records to a Parquet file: parquet-avro with the record's own schema and data
   * model, Snappy, plain-encoded measurements. Whoever writes files meant to look like the job's (the lake bench)
   * builds them here.
   */
  public static <T extends SpecificRecordBase> AvroParquetWriter.Builder<T> writerBuilder(OutputFile out,
      Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    return MeasurementEncoding.plainMeasurements(AvroParquetWriter.<T>builder(out)
        .withSchema(schema)
        .withDataModel(SpecificData.get())
        .withCompressionCodec(CompressionCodecName.SNAPPY), schema);
  }
}
