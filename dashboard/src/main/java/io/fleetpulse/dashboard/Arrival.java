package io.fleetpulse.dashboard;

/**
 * When a record reached the dashboard.
 *
 * @param receivedAt wall-clock time (ms) the Kafka consumer handed it over
 */
record Arrival(long receivedAt) {

  static Arrival now() {
    return new Arrival(System.currentTimeMillis());
  }
}
