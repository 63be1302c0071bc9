package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three output formats on values whose rendering a reader depends on. */
class ResultWritersTest {

  static final List<Column> COLUMNS = List.of(new Column("name", "VARCHAR"), new Column("value", "DOUBLE"),
      new Column("at", "TIMESTAMP WITH TIME ZONE"), new Column("chips", "INTEGER[]"), new Column("n", "HUGEINT"));

  static String render(ResultFormat format, Object[]... rows) throws IOException {
    StringWriter out = new StringWriter();
    ResultSink sink = format.writer(out);
    sink.columns(COLUMNS);
    for (Object[] row : rows) sink.row(row);
    sink.end();
    return out.toString();
  }

  static final Object[] AWKWARD = {"a \"quoted\", text\nline", Double.NaN, Instant.parse("2026-11-25T10:00:00Z"),
      List.of(1, 2), new BigInteger("123456789012345678901234567890")};
  static final Object[] PLAIN = {"b", 1234567.891, null, List.of(), BigInteger.ONE};

  @Test
  void csvQuotesWhatNeedsItAndKeepsFullPrecision() throws IOException {
    assertThat(render(ResultFormat.CSV, AWKWARD, PLAIN)).isEqualTo(
        "name,value,at,chips,n\r\n"
            + "\"a \"\"quoted\"\", text\nline\",NaN,2026-11-25T10:00:00Z,\"[1,2]\",123456789012345678901234567890\r\n"
            + "b,1234567.891,,[],1\r\n");
  }

  @Test
  void jsonIsAnArrayOfRowObjectsWithNullForNaN() throws IOException {
    assertThat(render(ResultFormat.JSON, AWKWARD, PLAIN)).isEqualTo(
        "[{\"name\":\"a \\\"quoted\\\", text\\nline\",\"value\":null,\"at\":\"2026-11-25T10:00:00Z\",\"chips\":[1,2],"
            + "\"n\":123456789012345678901234567890},"
            + "{\"name\":\"b\",\"value\":1234567.891,\"at\":null,\"chips\":[],\"n\":1}]");
  }

  @Test
  void anEmptyResultStillNamesItsColumns() throws IOException {
    assertThat(render(ResultFormat.CSV)).isEqualTo("name,value,at,chips,n\r\n");
    assertThat(render(ResultFormat.JSON)).isEqualTo("[]");
  }

  @Test
  void theTableAlignsNumbersRightAndRoundsToSixSignificantDigits() throws IOException {
    List<String> lines = render(ResultFormat.TABLE, new Object[] {"b", 1234567.891, null, List.of(), BigInteger.ONE},
        new Object[] {"longer name", 0.000123456789, Instant.parse("2026-11-25T10:00:00Z"), List.of(7), BigInteger.TEN})
        .lines().toList();
    assertThat(lines).containsExactly(
        "name               value  at                    chips   n",
        "-----------  -----------  --------------------  -----  --",
        "b                1234570                        []      1",
        "longer name  0.000123457  2026-11-25T10:00:00Z  [7]    10");
  }

  @Test
  void tinyAndHugeNumbersUseAnExponent() {
    assertThat(TableResultWriter.number(1.5e-7)).isEqualTo("1.50000e-07");
    assertThat(TableResultWriter.number(2.5e16)).isEqualTo("2.50000e+16");
    assertThat(TableResultWriter.number(0)).isEqualTo("0");
    assertThat(TableResultWriter.number(Double.NaN)).isEqualTo("NaN");
  }

  @Test
  void datesAndStructsRenderAsTextAndJson() throws IOException {
    StringWriter out = new StringWriter();
    ResultSink sink = ResultFormat.CSV.writer(out);
    sink.columns(List.of(new Column("day", "DATE"), new Column("s", "STRUCT(a INTEGER)")));
    sink.row(new Object[] {LocalDate.of(2026, 11, 25), Map.of("a", 1)});
    sink.end();
    assertThat(out.toString()).isEqualTo("day,s\r\n2026-11-25,\"{\"\"a\"\":1}\"\r\n");
  }
}
