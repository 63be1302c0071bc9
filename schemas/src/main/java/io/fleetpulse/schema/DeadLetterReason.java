package io.fleetpulse.schema;

/**
 * Why the job set a telemetry record aside: the value of the {@code fleetpulse.dlq.reason} header of every record on
 * the dead-letter topic, and of the job's {@code fleetpulse.dead_letters_<REASON>} counters. One list for the decoder,
 * the window and the docs: docs/reliability.md is checked against it.
 */
public enum DeadLetterReason {
  EMPTY("The record has no value (null, e.g. a tombstone)."),
  OVERSIZED("The value is larger than any sample can be (4 KiB): it is not decoded at all."),
  NOT_AVRO("The value is not Avro single-object encoded (it lacks the 0xC3 0x01 marker; zero bytes included)."),
  UNKNOWN_SCHEMA("Avro single-object encoded with the fingerprint of a schema the job does not know."),
  MALFORMED("A known schema, but the body is truncated, garbled, longer than the schema allows, or a length in it "
      + "claims more than the record holds."),
  OUT_OF_RANGE("A field outside its physical range (NaN included): utilization or renewable share outside [0, 1], "
      + "HBM above the chip's capacity, power above twice its rating, negative counters or ids, an event time "
      + "before 2020 or after 2100."),
  UNKNOWN_SITE("The site is not in the fleet config."),
  UNKNOWN_GENERATION("The chip generation is not in the fleet config."),
  UNKNOWN_CHIP("The chip id is outside the fleet layout (0 to chips - 1)."),
  WRONG_TOPOLOGY("The chip is filed under an instance, UltraServer, site or generation other than the layout's."),
  WRONG_INTERVAL("interval_ms is not the fleet's sample interval (with a layout), or is longer than the window."),
  FUTURE("Stamped further ahead of its partition's own event time than --max-event-time-skew: a broken clock. It "
      + "never moves a watermark."),
  DUPLICATE("A second sample of the same chip for the same interval (a replay): the first one counts."),
  LATE("Arrived after its window closed (the watermark plus --allowed-lateness).");

  private final String meaning;

  DeadLetterReason(String meaning) {
    this.meaning = meaning;
  }

  /** One sentence for operators: what the job saw. */
  public String meaning() {
    return meaning;
  }
}
