package io.fleetpulse.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpulse.cli.CliErrors;
import io.fleetpulse.schema.WindowMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code fleetpulse query} as a user runs it: reports and SQL in each output format, checked against plain sums
 * over the rows written; every mistake answered with one line and exit code 2.
 */
class QueryCommandTest {

  @TempDir static Path dir;
  static Path data;
  static List<WindowMetrics> rows;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void writeLake() {
    data = dir.resolve("data");
    rows = TestLakes.writeWindows(data);
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CliErrors.install(QueryCommand.commandLine());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** carbon-by-site by hand: per site and UTC day, sums of the records. */
  static Map<String, double[]> carbonBySite() {
    Map<String, double[]> m = new TreeMap<>();
    for (WindowMetrics w : rows) {
      LocalDate day = w.getWindowStart().atZone(ZoneOffset.UTC).toLocalDate();
      double[] s = m.computeIfAbsent(w.getSite() + "," + day, k -> new double[4]);
      s[0] += w.getFacilityEnergyKwh();
      s[1] += w.getCarbonLocationKg();
      s[2] += w.getCarbonMarketKg();
      s[3] += w.getResidualFacilityEnergyKwh();
    }
    return m;
  }

  @Test
  void carbonBySiteAsCsvMatchesTheRowsWritten() {
    Run r = run("--data", data.toString(), "--report", "carbon-by-site", "--format", "csv");
    assertThat(r.exit()).as(r.err()).isZero();
    String[] lines = r.out().split("\r\n");
    assertThat(lines[0]).isEqualTo("site,day,facility_energy_kwh,carbon_location_kg,carbon_market_kg,"
        + "avoided_by_renewables_kg,renewable_share,carbon_location_g_per_pflop,carbon_market_g_per_pflop");
    Map<String, double[]> expected = carbonBySite();
    assertThat(lines).hasSize(expected.size() + 1);
    for (String line : Arrays.copyOfRange(lines, 1, lines.length)) {
      String[] f = line.split(",");
      double[] e = expected.get(f[0] + "," + f[1]);
      assertThat(e).as(line).isNotNull();
      assertThat(Double.parseDouble(f[2])).isCloseTo(e[0], within(e[0] * 1e-12));
      assertThat(Double.parseDouble(f[3])).isCloseTo(e[1], within(e[1] * 1e-12));
      assertThat(Double.parseDouble(f[4])).isCloseTo(e[2], within(e[2] * 1e-12));
      assertThat(Double.parseDouble(f[6])).isCloseTo(1 - e[3] / e[0], within(1e-12));
    }
    assertThat(r.err()).matches("\\(6 rows, \\d+ ms\\)\\R");
  }

  @Test
  void carbon24x7GivesEachSiteAndDayItsCarbonCfeScoreAndDirtiestHoursAndAFleetRow() throws Exception {
    Run r = run("--data", data.toString(), "--report", "carbon-24x7", "--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    Map<String, double[]> expected = new TreeMap<>();
    for (WindowMetrics w : rows) {
      LocalDate day = w.getWindowStart().atZone(ZoneOffset.UTC).toLocalDate();
      for (String site : List.of(w.getSite(), "FLEET")) {
        double[] e = expected.computeIfAbsent(site + "," + day, k -> new double[5]);
        e[0] += w.getFacilityEnergyKwh();
        e[1] += w.getCarbonLocationKg();
        e[2] += w.getCarbonMarketKg();
        e[3] += w.getFacilityEnergyKwh() - w.getResidualFacilityEnergyKwh() + w.getGridCfeEnergyKwh();
        e[4] += w.getEmbodiedCarbonKg();
      }
    }
    assertThat(json).hasSize(expected.size());
    for (JsonNode row : json) {
      double[] e = expected.get(row.get("site").asText() + "," + row.get("day").asText());
      assertThat(e).as(row.toString()).isNotNull();
      assertThat(row.get("facility_energy_kwh").asDouble()).isCloseTo(e[0], within(e[0] * 1e-12));
      assertThat(row.get("carbon_location_kg").asDouble()).isCloseTo(e[1], within(e[1] * 1e-12));
      assertThat(row.get("carbon_market_kg").asDouble()).isCloseTo(e[2], within(e[2] * 1e-12));
      assertThat(row.get("cfe_share").asDouble()).isCloseTo(e[3] / e[0], within(1e-12)).isBetween(0.0, 1.0);
      assertThat(row.get("embodied_carbon_kg").asDouble()).isCloseTo(e[4], within(e[4] * 1e-12));
      assertThat(row.get("hourly_factor_share").asDouble()).isEqualTo(1.0);
      if (!row.get("site").asText().equals("FLEET")) {
        assertThat(row.get("top_hours").asText()).matches("\\d\\d:00 [0-9.]+ kg(, \\d\\d:00 [0-9.]+ kg){0,2}");
      }
    }
  }

  @Test
  void theTableIsAlignedAndShowsSixSignificantDigits() {
    Run r = run("--data", data.toString(), "-r", "carbon-by-site");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2 + 6);
    assertThat(lines.get(0)).startsWith("site   day         facility_energy_kwh");
    assertThat(lines.get(1)).matches("[- ]+");
    assertThat(lines).allSatisfy(l -> assertThat(l).hasSameSizeAs(lines.get(1)));
    Map<String, double[]> expected = carbonBySite();
    for (String line : lines.subList(2, lines.size())) {
      String[] f = line.trim().split("\\s+");
      double shown = Double.parseDouble(f[2]);
      double e = expected.get(f[0] + "," + f[1])[0];
      assertThat(shown).isCloseTo(e, within(e * 5e-6));
      assertThat(f[2].replace(".", "").replaceFirst("^0+", "")).hasSizeLessThanOrEqualTo(6);
    }
  }

  @Test
  void sqlAsJsonGivesRowObjectsWithUtcTimesAndNullForNaN() throws Exception {
    Run r = run("--data", data.toString(), "--format", "json",
        "SELECT ultraserver_id, min(window_start) AS first, max(date) AS last_day, 0.0 / 0.0 AS nothing "
            + "FROM ultraserver_window GROUP BY 1 ORDER BY 1 LIMIT 2");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json).hasSize(2);
    assertThat(json.get(0).get("ultraserver_id").asInt()).isZero();
    assertThat(json.get(0).get("first").asText()).isEqualTo("2026-11-25T22:00:00Z");
    assertThat(json.get(0).get("last_day").asText()).isEqualTo("2026-11-26");
    assertThat(json.get(0).get("nothing").isNull()).isTrue();
  }

  @Test
  void listReportsNamesEveryReportAndWhatItNeeds() {
    Run r = run("--list-reports");
    assertThat(r.exit()).isZero();
    for (Report report : Reports.all()) {
      assertThat(r.out()).contains(report.name()).contains(report.title());
    }
    assertThat(r.out()).contains("needs: alerts").contains("needs: ultraserver_window");
  }

  @Test
  void listTablesCountsTheRows() {
    Run r = run("--data", data.toString(), "--list-tables");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().skip(2).toList()).containsExactly("ultraserver_window  " + rows.size());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "missing folder   | --data,{dir}/nope,-r,carbon-by-site                | data folder {dir}/nope does not exist",
      "empty folder     | --data,{dir}/empty,-r,carbon-by-site               | no tables under",
      "unknown table    | --data,{data},SELECT * FROM site_window            | no table 'site_window'",
      "SQL error        | --data,{data},SELECT nope FROM ultraserver_window  | Referenced column \"nope\" not found",
      "syntax error     | --data,{data},SELEKT 1                             | syntax error at or near \"SELEKT\"",
      "write refused    | --data,{data},DROP VIEW ultraserver_window         | only read-only queries are allowed",
      "unknown report   | --data,{data},-r,carbon                            | no report 'carbon'; reports: carbon-by-site",
      "report needs     | --data,{data},-r,top-stragglers                    | needs table alerts",
      "nothing to do    | --data,{data}                                      | nothing to run",
      "two things       | --data,{data},-r,idle-waste,SELECT 1                | pass one of",
      "bad format       | --data,{data},-f,xml,SELECT 1                      | format must be table, csv or json",
      "bad memory limit | --data,{data},--memory-limit,lots,SELECT 1         | --memory-limit takes a size",
      "bad max rows     | --data,{data},--max-rows,0,SELECT 1                | --max-rows must be >= 1",
      "too many rows    | --data,{data},--max-rows,10,SELECT * FROM range(11) | more than 10 rows",
      "serve, no data   | serve,--data,{dir}/nope,--sql-port,0                  | data folder {dir}/nope does not exist",
      "serve, no token  | serve,--data,{data},--token-file,{dir}/nope.txt    | --token-file {dir}/nope.txt: no such file",
      "serve, bad limit | serve,--data,{data},--max-concurrent,0             | --max-concurrent must be >= 1",
      "serve, bad time  | serve,--data,{data},--timeout,soon                 | soon",
  })
  void everyMistakeGetsOneClearLineAndExitCode2(String what, String args, String message) throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    String[] argv = Arrays.stream(args.split(","))
        .map(a -> a.replace("{data}", data.toString()).replace("{dir}", dir.toString())).toArray(String[]::new);
    Run r = run(argv);
    assertThat(r.exit()).as(what + ": " + r.err()).isEqualTo(2);
    String firstLine = r.err().lines().findFirst().orElse("");
    assertThat(firstLine).matches("(query|serve): .*").contains(message.replace("{dir}", dir.toString()));
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.err().lines().count()).isLessThanOrEqualTo(2); // the line, and for a bad flag a hint to --help
  }

  @Test
  void helpNamesEveryFlagWithItsDefault() {
    Run r = run("--help");
    assertThat(r.exit()).isZero();
    // Words only: picocli wraps lines at 80 columns wherever they fall.
    assertThat(r.out().replaceAll("\\s+", " ")).contains("--data=DIR", "Default: ./data", "--sql=SQL", "--report=NAME", "--list-reports",
        "--list-tables", "--format=table|csv|json", "Default: table", "--max-rows=N", "Default: 100000", "--timeout",
        "--memory-limit", "--threads", "serve");
    Run serve = run("serve", "--help");
    assertThat(serve.out().replaceAll("\\s+", " ")).contains("--bind=ADDRESS", "Default: 127.0.0.1", "--sql-port=PORT", "Default: 8090",
        "--token-file=FILE", "FLEETPULSE_QUERY_TOKEN", "Default: 30s", "Default: 67108864", "Default: 2GB",
        "--max-concurrent");
  }
}
