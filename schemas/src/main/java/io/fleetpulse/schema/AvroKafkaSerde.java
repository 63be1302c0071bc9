package io.fleetpulse.schema;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer and deserializer over {@link AvroCodec}, for plain Kafka clients. */
public final class AvroKafkaSerde {

  private AvroKafkaSerde() {}

  public static <T extends org.apache.avro.specific.SpecificRecord> Serializer<T> serializer(
      AvroCodec<T> codec) {
    return (topic, record) -> record == null ? null : codec.encode(record);
  }

  public static <T extends org.apache.avro.specific.SpecificRecord> Deserializer<T> deserializer(
      AvroCodec<T> codec) {
    return (topic, bytes) -> codec.decode(bytes);
  }
}
