package io.fleetpulse.model;

/** What an UltraServer is assigned to for the whole run. */
public enum Placement {
  /** Trains a synchronous job spanning one or more UltraServers. */
  TRAINING,
  /** Serves inference; load follows the local day. */
  INFERENCE,
  /** Serves inference by local day and trains at night. */
  FLEX,
  /** Reserved by a customer, running nothing: costs money, draws idle power. */
  RESERVED_IDLE,
  /** Out for maintenance: sends no samples. */
  MAINTENANCE
}
