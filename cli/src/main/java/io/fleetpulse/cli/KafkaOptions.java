package io.fleetpulse.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where the brokers are, and any client property (SASL, SSL, ...) passed through: {@link SharedOptions#KAFKA}. */
public record KafkaOptions(String bootstrapServers, Map<String, String> properties) {

  public KafkaOptions {
    properties = Map.copyOf(new LinkedHashMap<>(properties));
  }

  public static KafkaOptions from(Flags flags) {
    return new KafkaOptions(flags.get(SharedOptions.BOOTSTRAP_SERVERS), flags.get(SharedOptions.KAFKA_PROPERTY));
  }
}
