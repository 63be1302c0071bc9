package io.fleetpulse.generator;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.cli.Shard;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Which run a generator shard belongs to, as its progress markers say: the same fleet config (seed included) and
 * start give the same run id, so a restarted shard finds in Kafka where it stopped, and a run with other settings is
 * never mistaken for it.
 */
public record RunIdentity(String runId, Instant start, Shard shard) {

  public static final String PRODUCER = "fleetpulse-generator";

  public static RunIdentity of(FleetConfig config, Instant alignedStart, Shard shard) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(config.toString().getBytes(StandardCharsets.UTF_8));
      sha.update(alignedStart.toString().getBytes(StandardCharsets.UTF_8));
      return new RunIdentity(HexFormat.of().formatHex(sha.digest(), 0, 8), alignedStart, shard);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
