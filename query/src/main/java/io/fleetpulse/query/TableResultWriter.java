package io.fleetpulse.query;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table for a terminal: a header, a rule, then the rows; numbers right-aligned, doubles to 6
 * significant digits without exponent where that stays readable. Holds every row until the end to size the
 * columns, so the row limit bounds its memory. CSV and JSON keep full precision.
 */
final class TableResultWriter implements ResultSink {

  private static final MathContext SIX = new MathContext(6);
  private final PrintWriter out;
  private List<Column> columns;
  private final List<String[]> rows = new ArrayList<>();

  TableResultWriter(Writer out) {
    this.out = out instanceof PrintWriter p ? p : new PrintWriter(out);
  }

  @Override
  public void columns(List<Column> columns) {
    this.columns = columns;
  }

  @Override
  public void row(Object[] values) {
    String[] cells = new String[values.length];
    for (int i = 0; i < values.length; i++) cells[i] = cell(values[i]);
    rows.add(cells);
  }

  static String cell(Object v) {
    if (v == null) return "";
    if (v instanceof Double d) return number(d);
    if (v instanceof Float f) return number(f.doubleValue());
    return Cells.text(v);
  }

  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return Cells.text(d);
    if (d == 0) return "0";
    double abs = Math.abs(d);
    if (abs >= 1e15 || abs < 1e-4) return String.format(java.util.Locale.ROOT, "%.5e", d);
    return new BigDecimal(d).round(SIX).stripTrailingZeros().toPlainString();
  }

  @Override
  public void end() throws IOException {
    int n = columns.size();
    int[] width = new int[n];
    for (int i = 0; i < n; i++) width[i] = columns.get(i).name().length();
    for (String[] r : rows) for (int i = 0; i < n; i++) width[i] = Math.max(width[i], r[i].length());
    String[] header = columns.stream().map(Column::name).toArray(String[]::new);
    line(header, width, true);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) rule.append("  ");
      rule.append("-".repeat(width[i]));
    }
    out.println(rule);
    for (String[] r : rows) line(r, width, true);
    out.flush();
  }

  private void line(String[] cells, int[] width, boolean alignNumbers) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) b.append("  ");
      boolean right = alignNumbers && columns.get(i).numeric();
      String pad = " ".repeat(width[i] - cells[i].length());
      b.append(right ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
    }
    out.println(b);
  }
}
