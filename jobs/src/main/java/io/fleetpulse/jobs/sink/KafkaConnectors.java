package io.fleetpulse.jobs.sink;

import io.fleetpulse.jobs.carbon.GridInput;
import io.fleetpulse.jobs.carbon.GridIntensityDecoder;
import io.fleetpulse.jobs.config.JobConfig;
import io.fleetpulse.jobs.config.JobOptions;
import io.fleetpulse.jobs.source.RecordDeserializer;
import io.fleetpulse.jobs.source.TelemetryDeserializer;
import io.fleetpulse.jobs.source.TelemetryReader;
import io.fleetpulse.jobs.source.TelemetryRecord;
import io.fleetpulse.schema.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The job's Kafka source and sinks, configured from {@link JobConfig}. */
public final class KafkaConnectors {

  private KafkaConnectors() {}

  public static KafkaSource<TelemetryRecord> telemetrySource(JobConfig cfg, TelemetryReader reader) {
    return telemetrySource(cfg, new TelemetryDeserializer(reader));
  }

  public static KafkaSource<TelemetryRecord> telemetrySource(JobConfig cfg,
      KafkaRecordDeserializationSchema<TelemetryRecord> deserializer) {
    OffsetsInitializer start = switch (cfg.get(JobOptions.STARTING_OFFSETS)) {
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    };
    return source(cfg, cfg.get(JobOptions.TELEMETRY_TOPIC), start, deserializer);
  }

  /**
   * The grid-intensity topic, read from its start (or the group's offsets when resuming): the figures of the hour a
   * run starts in were written before it. Bounded like the telemetry with --bounded.
   */
  public static KafkaSource<GridInput> gridIntensitySource(JobConfig cfg, GridIntensityDecoder decoder) {
    OffsetsInitializer start = cfg.get(JobOptions.STARTING_OFFSETS) == JobOptions.StartingOffsets.COMMITTED
        ? OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST) : OffsetsInitializer.earliest();
    return source(cfg, cfg.get(JobOptions.GRID_INTENSITY_TOPIC), start,
        new RecordDeserializer<>(decoder::decode, GridInput.class));
  }

  /** A source of the job's group on {@code topic}: bounded to the end offsets at start with --bounded. */
  private static <T> KafkaSource<T> source(JobConfig cfg, String topic, OffsetsInitializer start,
      KafkaRecordDeserializationSchema<T> deserializer) {
    var builder = KafkaSource.<T>builder()
        .setBootstrapServers(cfg.get(JobOptions.BOOTSTRAP_SERVERS))
        .setProperties(clientProperties(cfg))
        .setTopics(topic)
        .setGroupId(cfg.get(JobOptions.GROUP_ID))
        .setStartingOffsets(start)
        .setDeserializer(deserializer);
    if (cfg.get(JobOptions.BOUNDED)) {
      builder.setBounded(OffsetsInitializer.latest());
    } else {
      // New partitions of a growing topic are picked up without a restart.
      builder.setProperty("partition.discovery.interval.ms", "60000");
    }
    return builder.build();
  }

  /**
   * Avro records to a topic with a text key. Each sink needs its own transactional id prefix under EXACTLY_ONCE;
   * {@code name} provides it.
   */
  public static <T extends SpecificRecord> KafkaSink<T> avroSink(JobConfig cfg, String name, String topic,
      AvroCodec<T> codec, SerializableFunction<T, String> key) {
    DeliveryGuarantee guarantee = cfg.get(JobOptions.METRICS_DELIVERY) == JobOptions.Delivery.EXACTLY_ONCE
        ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
    KafkaRecordSerializationSchema<T> schema = (m, ctx, ts) -> new ProducerRecord<>(
        topic, key.apply(m).getBytes(StandardCharsets.UTF_8), codec.encode(m));
    return KafkaSink.<T>builder()
        .setBootstrapServers(cfg.get(JobOptions.BOOTSTRAP_SERVERS))
        .setKafkaProducerConfig(clientProperties(cfg))
        .setRecordSerializer(schema)
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(cfg.get(JobOptions.GROUP_ID) + "-" + name)
        .build();
  }

  /** Dead letters keep the original key and value bytes (up to --max-dead-letter-bytes); why and from where as headers. */
  public static DeadLetterSink deadLetterSink(JobConfig cfg) {
    return new DeadLetterSink(cfg.get(JobOptions.BOOTSTRAP_SERVERS), cfg.kafkaProperties(),
        cfg.get(JobOptions.DEAD_LETTER_TOPIC), cfg.get(JobOptions.MAX_DEAD_LETTER_BYTES));
  }

  static Properties clientProperties(JobConfig cfg) {
    Properties p = new Properties();
    p.putAll(cfg.kafkaProperties());
    return p;
  }
}
