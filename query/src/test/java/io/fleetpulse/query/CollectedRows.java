package io.fleetpulse.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sink keeping every row as a column-name map, for assertions. */
final class CollectedRows implements ResultSink {

  final List<Column> columns = new ArrayList<>();
  final List<Map<String, Object>> rows = new ArrayList<>();
  boolean ended;

  @Override
  public void columns(List<Column> c) {
    columns.addAll(c);
  }

  @Override
  public void row(Object[] values) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) row.put(columns.get(i).name(), values[i]);
    rows.add(row);
  }

  @Override
  public void end() {
    ended = true;
  }

  static CollectedRows report(LakeSql sql, String name) {
    CollectedRows rows = new CollectedRows();
    sql.report(name, rows);
    return rows;
  }

  static CollectedRows query(LakeSql sql, String query) {
    CollectedRows rows = new CollectedRows();
    sql.query(query, rows);
    return rows;
  }

  static double d(Map<String, Object> row, String column) {
    Object v = row.get(column);
    if (!(v instanceof Number n)) throw new AssertionError("column " + column + " is " + v + ", not a number");
    return n.doubleValue();
  }
}
