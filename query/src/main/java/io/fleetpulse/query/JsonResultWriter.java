package io.fleetpulse.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A JSON array with an object per row, keys in column order: what {@code pandas.read_json} and most tools read
 * directly. JSON has no NaN: NaN and infinities (a ratio over nothing) become null, as in pandas.
 */
final class JsonResultWriter implements ResultSink {

  private static final JsonFactory FACTORY = new JsonFactory();
  private final JsonGenerator json;
  private String[] names;

  JsonResultWriter(Writer out) {
    try {
      this.json = FACTORY.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void columns(List<Column> columns) throws IOException {
    names = columns.stream().map(Column::name).toArray(String[]::new);
    json.writeStartArray();
  }

  @Override
  public void row(Object[] values) throws IOException {
    json.writeStartObject();
    for (int i = 0; i < values.length; i++) {
      json.writeFieldName(names[i]);
      write(json, values[i]);
    }
    json.writeEndObject();
  }

  @Override
  public void end() throws IOException {
    json.writeEndArray();
    json.flush();
  }

  static void write(JsonGenerator json, Object v) throws IOException {
    if (v == null) {
      json.writeNull();
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) json.writeNull(); else json.writeNumber(d);
    } else if (v instanceof Float f) {
      if (f.isNaN() || f.isInfinite()) json.writeNull(); else json.writeNumber(f);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      json.writeNumber(((Number) v).longValue());
    } else if (v instanceof BigInteger b) {
      json.writeNumber(b);
    } else if (v instanceof BigDecimal b) {
      json.writeNumber(b);
    } else if (v instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (v instanceof LocalDateTime t) {
      json.writeString(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
    } else if (v instanceof byte[] b) {
      json.writeString(Base64.getEncoder().encodeToString(b));
    } else if (v instanceof List<?> list) {
      json.writeStartArray();
      for (Object item : list) write(json, item);
      json.writeEndArray();
    } else if (v instanceof Map<?, ?> map) {
      json.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        json.writeFieldName(String.valueOf(e.getKey()));
        write(json, e.getValue());
      }
      json.writeEndObject();
    } else if (v instanceof Number n) {
      json.writeNumber(n.toString());
    } else {
      json.writeString(v.toString());
    }
  }

  /** A single value as JSON text: lists and structs inside CSV fields and table cells. */
  static String toJson(Object v) {
    StringWriter s = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(s)) {
      write(g, v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }
}
