package io.fleetpulse.dashboard;

/**
 * A record the dashboard will not show, with the reason it is counted under and a message naming the field.
 * Without a stack trace: a topic full of bad records throws one per record, and the reason says all there is.
 */
final class RecordRejected extends RuntimeException {

  private final SkipReason reason;

  RecordRejected(SkipReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  SkipReason reason() {
    return reason;
  }
}
