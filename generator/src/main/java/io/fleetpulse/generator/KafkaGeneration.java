package io.fleetpulse.generator;

import io.fleetpulse.model.FleetModel;
import java.util.Map;

/** One run of the generator into a Kafka topic, start to end, flushed: what tests, benchmarks and loaders need. */
public final class KafkaGeneration {

  private KafkaGeneration() {}

  public static GeneratorStats run(String bootstrapServers, Map<String, String> clientProperties, String topic,
      FleetModel model, RunPlan plan, String clientId) {
    try (KafkaSampleSink sink = new KafkaSampleSink(bootstrapServers, clientProperties, topic, model, plan, clientId)) {
      return new FleetGenerator(model, plan, sink, s -> {}).run();
    }
  }
}
