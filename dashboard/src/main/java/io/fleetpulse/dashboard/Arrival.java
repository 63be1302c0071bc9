package io.fleetpulse.dashboard;

/**
 * When and how a record reached the dashboard.
 *
 * @param receivedAt wall-clock time (ms) the Kafka consumer handed it over
 * @param live true when it was written after the dashboard began reading its partition; false for the records
 *     read back on start (--history), whose delay says when the dashboard started, not how late the stream is
 */
record Arrival(long receivedAt, boolean live) {

  static Arrival now() {
    return new Arrival(System.currentTimeMillis(), true);
  }
}
