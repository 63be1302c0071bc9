package io.fleetpulse.query;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** RFC 4180 CSV: a header line, then a line per row; fields with a comma, quote or line break are quoted. */
final class CsvResultWriter implements ResultSink {

  private final Writer out;

  CsvResultWriter(Writer out) {
    this.out = new BufferedWriter(out, 1 << 16);
  }

  @Override
  public void columns(List<Column> columns) throws IOException {
    String[] names = columns.stream().map(Column::name).toArray(String[]::new);
    line(names);
  }

  @Override
  public void row(Object[] values) throws IOException {
    String[] fields = new String[values.length];
    for (int i = 0; i < values.length; i++) fields[i] = Cells.text(values[i]);
    line(fields);
  }

  private void line(String[] fields) throws IOException {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) out.write(',');
      out.write(escape(fields[i]));
    }
    out.write("\r\n");
  }

  static String escape(String field) {
    boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
        || field.indexOf('\r') >= 0;
    return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
  }

  @Override
  public void end() throws IOException {
    out.flush();
  }
}
