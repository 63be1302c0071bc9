package io.fleetpulse.jobs.sink;

import org.apache.avro.Schema;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Parquet dictionaries only where values repeat. A measured double (power, utilization, energy) or a sketch almost
 * never repeats within a file, so a dictionary for it is built, found useless and dropped for every page: about
 * half the cost of writing a window row, for files 0.3% smaller. Strings, ids and times keep their dictionaries.
 */
final class MeasurementEncoding {

  private MeasurementEncoding() {}

  static <B extends ParquetWriter.Builder<?, B>> B plainMeasurements(B builder, Schema record) {
    B b = builder;
    for (Schema.Field f : record.getFields()) {
      Schema.Type type = nonNull(f.schema()).getType();
      if (type == Schema.Type.DOUBLE || type == Schema.Type.FLOAT || type == Schema.Type.BYTES) {
        b = b.withDictionaryEncoding(f.name(), false);
      }
    }
    return b;
  }

  private static Schema nonNull(Schema s) {
    if (!s.isUnion()) return s;
    return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(s);
  }
}
