package io.fleetpulse.dashboard;

/**
 * Why a record from Kafka was not shown. Anyone who can write to the topics can write anything, so every record
 * that is not one the job could have written is skipped, and counted under one of these (in /api/status, on the
 * page and in the log). The names are part of the status contract: scripts may read them.
 */
enum SkipReason {
  EMPTY("empty", "no value: a tombstone or zero bytes"),
  OVERSIZED("oversized", "larger than " + RecordCheck.MAX_RECORD_BYTES / 1024 + " KiB, or a string or list over its "
      + "limit"),
  NOT_AVRO("not_avro", "not Avro single-object encoding"),
  UNKNOWN_SCHEMA("unknown_schema", "written with a schema this dashboard does not know (another fingerprint)"),
  MALFORMED("malformed", "does not decode: truncated, or a length beyond the decoder's limits"),
  BAD_TIME("bad_time", "impossible times: a window that ends before it starts, is unaligned, lasts over a day or "
      + "differs in length from the stream's, times outside 2000..2200, an alert that ends before it starts"),
  BAD_ID("bad_id", "an UltraServer, workload or alert id missing or out of range, or a workload on a tenant record"),
  UNKNOWN_SITE("unknown_site", "a site the fleet config does not have"),
  UNKNOWN_GENERATION("unknown_generation", "a chip generation the fleet config does not have"),
  UNKNOWN_TENANT("unknown_tenant", "a tenant the fleet config does not have (nor unplaced or unknown)"),
  BAD_VALUE("bad_value", "a figure that is NaN, infinite, negative or beyond what any fleet config allows, or an "
      + "unreadable utilization sketch"),
  AHEAD("ahead", "a window or alert far ahead of the stream's own event time"),
  TOO_OLD("too_old", "a window older than the windows kept"),
  DUPLICATE("duplicate", "already counted: redelivered (the job writes at least once) or written twice"),
  INTERNAL("internal", "the dashboard failed on it: a bug, logged with its stack trace");

  private final String key;
  private final String meaning;

  SkipReason(String key, String meaning) {
    this.key = key;
    this.meaning = meaning;
  }

  /** The name in /api/status and on the page. */
  String key() {
    return key;
  }

  String meaning() {
    return meaning;
  }
}
