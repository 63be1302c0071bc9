package io.fleetpulse.query;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns DuckDB's JDBC values into the plain Java values every {@link ResultSink} understands, and back to text. */
final class Cells {

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

  private Cells() {}

  static Object read(ResultSet rs, int column) throws SQLException {
    return plain(rs.getObject(column));
  }

  static Object plain(Object v) throws SQLException {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) return v;
    if (v instanceof OffsetDateTime t) return t.toInstant();
    if (v instanceof Timestamp t) return t.toLocalDateTime();
    if (v instanceof java.sql.Date d) return d.toLocalDate();
    if (v instanceof Instant || v instanceof LocalDate || v instanceof LocalDateTime) return v;
    if (v instanceof Blob b) return b.getBytes(1, (int) b.length());
    if (v instanceof byte[]) return v;
    if (v instanceof Array a) {
      Object[] items = (Object[]) a.getArray();
      List<Object> list = new ArrayList<>(items.length);
      for (Object item : items) list.add(plain(item));
      return list;
    }
    if (v instanceof Struct s) {
      Map<String, Object> map = new LinkedHashMap<>();
      if (s instanceof org.duckdb.DuckDBStruct ds) {
        for (Map.Entry<String, Object> e : ds.getMap().entrySet()) map.put(e.getKey(), plain(e.getValue()));
        return map;
      }
      Object[] attrs = s.getAttributes();
      for (int i = 0; i < attrs.length; i++) map.put("f" + i, plain(attrs[i]));
      return map;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) map.put(String.valueOf(e.getKey()), plain(e.getValue()));
      return map;
    }
    return v.toString();
  }

  /** Text for CSV and tables: ISO-8601 times (UTC instants end in Z), NaN as NaN, nested values as JSON. */
  static String text(Object v) {
    if (v == null) return "";
    if (v instanceof Double d) return doubleText(d);
    if (v instanceof Float f) return doubleText(f.doubleValue());
    if (v instanceof BigDecimal b) return b.toPlainString();
    if (v instanceof LocalDateTime t) return LOCAL.format(t);
    if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
    if (v instanceof List<?> || v instanceof Map<?, ?>) return JsonResultWriter.toJson(v);
    return v.toString();
  }

  private static String doubleText(double d) {
    if (Double.isNaN(d)) return "NaN";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    return Double.toString(d);
  }
}
