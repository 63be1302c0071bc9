package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.AvroCodec;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka source deserializer: never throws, so one bad record cannot fail the job. */
public final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<TelemetryRecord> {

  private static final long serialVersionUID = 2L;
  private final TelemetryReader reader;

  public TelemetryDeserializer(TelemetryReader reader) {
    this.reader = reader;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    AvroCodec.enforceDecodingLimits(); // before the first record: bytes from Kafka claim any length they like
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryRecord> out) {
    out.collect(reader.read(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
  }

  @Override
  public TypeInformation<TelemetryRecord> getProducedType() {
    return TypeInformation.of(TelemetryRecord.class);
  }
}
