package io.fleetpulse.model;

/**
 * What a reporting chip is doing at one moment. Same names and order as the Avro enum WorkloadKind (a test
 * holds them together), so the generator can map one to the other by ordinal.
 */
public enum Activity {
  TRAINING,
  INFERENCE,
  RESERVED_IDLE
}
