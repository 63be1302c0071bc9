package io.fleetpulse.generator;

import io.fleetpulse.model.FleetModel;
import java.util.Map;

/** One run of the generator into a Kafka topic, start to end, flushed: what tests, benchmarks and loaders need. */
public final class KafkaGeneration {

  private KafkaGeneration() {}

  public static GeneratorStats run(String bootstrapServers, Map<String, String> clientProperties, String topic,
      FleetModel model, RunPlan plan, String clientId) {
    return run(bootstrapServers, clientProperties, topic, null, model, plan, clientId);
  }

  /** The same, with each hour's grid intensity to {@code gridTopic} (none when null). */
  public static GeneratorStats run(String bootstrapServers, Map<String, String> clientProperties, String topic,
      String gridTopic, FleetModel model, RunPlan plan, String clientId) {
    try (KafkaSampleSink sink = new KafkaSampleSink(bootstrapServers, clientProperties, topic, model, plan, clientId)) {
      if (gridTopic != null) sink.withGridIntensity(gridTopic);
      return new FleetGenerator(model, plan, sink, s -> {}).run();
    }
  }
}
