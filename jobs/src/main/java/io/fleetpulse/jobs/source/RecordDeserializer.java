package io.fleetpulse.jobs.source;

import io.fleetpulse.schema.AvroCodec;
import java.io.Serializable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A Kafka source deserializer that never throws: every record becomes exactly one value, valid or a dead letter, so
 * one bad record cannot fail the job. Avro's decoding limits are in force before the first record of any topic.
 *
 * @param <T> what a record becomes
 */
public class RecordDeserializer<T> implements KafkaRecordDeserializationSchema<T> {

  private static final long serialVersionUID = 1L;

  /** One record's coordinates and bytes to its value; never throws. */
  @FunctionalInterface
  public interface Decoder<T> extends Serializable {
    T decode(String topic, int partition, long offset, byte[] key, byte[] value);
  }

  private final Decoder<T> decoder;
  private final Class<T> type;

  public RecordDeserializer(Decoder<T> decoder, Class<T> type) {
    this.decoder = decoder;
    this.type = type;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    AvroCodec.enforceDecodingLimits(); // before the first record: bytes from Kafka claim any length they like
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<T> out) {
    out.collect(decoder.decode(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return TypeInformation.of(type);
  }
}
