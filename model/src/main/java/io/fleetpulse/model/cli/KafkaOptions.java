package io.fleetpulse.model.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The shared Kafka flags: where the brokers are, and any client property (SASL, SSL, ...) passed through. */
public final class KafkaOptions {

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      defaultValue = "${env:FLEETPULSE_BOOTSTRAP_SERVERS:-localhost:9092}",
      description = "Kafka brokers to connect to. Default: $FLEETPULSE_BOOTSTRAP_SERVERS or localhost:9092.")
  String bootstrapServers;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "A Kafka client property passed through unchanged (repeatable), e.g. "
          + "security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512, sasl.jaas.config=...")
  Map<String, String> properties = new LinkedHashMap<>();

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Map<String, String> properties() {
    return properties;
  }

  public KafkaOptions bootstrapServers(String servers) {
    this.bootstrapServers = servers;
    return this;
  }
}
