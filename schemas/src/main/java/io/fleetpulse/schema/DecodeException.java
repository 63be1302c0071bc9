package io.fleetpulse.schema;

/** Bytes that are not a record of the expected schema, with the dead-letter reason that says why. */
public final class DecodeException extends RuntimeException {

  private final DeadLetterReason reason;

  public DecodeException(DeadLetterReason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
