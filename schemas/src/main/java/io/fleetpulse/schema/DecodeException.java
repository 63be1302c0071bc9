package io.fleetpulse.schema;

/** Bytes that are not a record of the expected schema, with a machine-readable reason. */
public final class DecodeException extends RuntimeException {

  /** Why decoding failed; these names appear in the dead-letter topic's reason field. */
  public enum Reason {
    EMPTY,
    NOT_AVRO,
    UNKNOWN_SCHEMA,
    MALFORMED
  }

  private final Reason reason;

  public DecodeException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
