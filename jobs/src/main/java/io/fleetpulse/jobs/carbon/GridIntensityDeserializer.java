package io.fleetpulse.jobs.carbon;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka records of the grid-intensity topic to {@link GridInput}s: every record gives one, valid or not. */
public final class GridIntensityDeserializer implements KafkaRecordDeserializationSchema<GridInput> {

  private static final long serialVersionUID = 1L;
  private final GridIntensityDecoder decoder;

  public GridIntensityDeserializer(GridIntensityDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<GridInput> out) {
    out.collect(decoder.decode(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
  }

  @Override
  public TypeInformation<GridInput> getProducedType() {
    return TypeInformation.of(GridInput.class);
  }
}
