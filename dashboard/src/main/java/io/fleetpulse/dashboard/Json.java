package io.fleetpulse.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** JSON for the browser: one shared mapper, and the rule that an undefined number travels as null. */
final class Json {

  // ASCII-only output: strings from Kafka can hold any character, and an escaped \\uXXXX survives every
  // charset assumption between here and the browser's JSON.parse.
  private static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** NaN and infinities (a ratio over nothing, see docs/metrics.md) become null, which the page shows as a dash. */
  static Double num(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
