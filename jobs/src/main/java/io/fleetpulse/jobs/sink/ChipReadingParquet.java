package io.fleetpulse.jobs.sink;

import io.fleetpulse.jobs.source.ChipReading;
import io.fleetpulse.schema.ChipSample;
import io.fleetpulse.schema.WorkloadKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * The raw archive's rows written straight from {@link ChipReading}s: the same Parquet schema (and Avro schema in the
 * footer) that parquet-avro writes for a ChipSample, so readers cannot tell the files apart, without building a
 * ChipSample per sample and walking it by reflection. Every sample of the fleet passes here when the archive is on.
 */
public final class ChipReadingParquet {

  private ChipReadingParquet() {}

  public static ParquetWriterFactory<ChipReading> writerFactory() {
    return new ParquetWriterFactory<>(out -> MeasurementEncoding.plainMeasurements(
        new Builder(out).withCompressionCodec(CompressionCodecName.SNAPPY), ChipSample.getClassSchema()).build());
  }

  static final class Builder extends ParquetWriter.Builder<ChipReading, Builder> {
    Builder(OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<ChipReading> getWriteSupport(Configuration conf) {
      return new Support();
    }
  }

  static final class Support extends WriteSupport<ChipReading> {
    private static final MessageType SCHEMA = new AvroSchemaConverter().convert(ChipSample.getClassSchema());
    private static final List<String> FIELDS = ChipSample.getClassSchema().getFields().stream()
        .map(org.apache.avro.Schema.Field::name).toList();
    private static final Binary[] KINDS = java.util.Arrays.stream(WorkloadKind.values())
        .map(k -> Binary.fromString(k.name())).toArray(Binary[]::new);

    /** Sites, generations and tenants are few; a flood of unknown tenant labels must not grow the cache. */
    private static final int MAX_CACHED_STRINGS = 1024;
    private final Map<String, Binary> strings = new HashMap<>();
    private RecordConsumer out;

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, Map.of("parquet.avro.schema", ChipSample.getClassSchema().toString(),
          "writer.model.name", "avro"));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(ChipReading r) {
      out.startMessage();
      integer(0, r.chipId);
      integer(1, r.instanceId);
      integer(2, r.ultraserverId);
      binary(3, string(r.site));
      binary(4, string(r.generation));
      integer(5, r.workloadId);
      binary(6, KINDS[r.workloadKind]);
      longValue(7, r.eventTime);
      integer(8, r.intervalMs);
      doubleValue(9, r.utilization);
      doubleValue(10, r.hbmUsedGib);
      doubleValue(11, r.powerW);
      doubleValue(12, r.renewableShare);
      longValue(13, r.eccCorrectedTotal);
      longValue(14, r.eccUncorrectedTotal);
      // An optional field is left out when null, as parquet-avro writes a union with null.
      if (r.tenant != null) binary(15, strings.size() < MAX_CACHED_STRINGS ? string(r.tenant) : Binary.fromString(r.tenant));
      out.endMessage();
    }

    private Binary string(String s) {
      return strings.computeIfAbsent(s, Binary::fromString);
    }

    private void integer(int field, int v) {
      out.startField(FIELDS.get(field), field);
      out.addInteger(v);
      out.endField(FIELDS.get(field), field);
    }

    private void longValue(int field, long v) {
      out.startField(FIELDS.get(field), field);
      out.addLong(v);
      out.endField(FIELDS.get(field), field);
    }

    private void doubleValue(int field, double v) {
      out.startField(FIELDS.get(field), field);
      out.addDouble(v);
      out.endField(FIELDS.get(field), field);
    }

    private void binary(int field, Binary v) {
      out.startField(FIELDS.get(field), field);
      out.addBinary(v);
      out.endField(FIELDS.get(field), field);
    }
  }
}
