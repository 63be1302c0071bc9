package io.fleetpulse.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The canned reports, in the order {@code --list-reports} shows them. Each lives in
 * {@code reports/NAME.sql} with a small header of comment lines:
 * <pre>
 * -- title: one line
 * -- needs: table[, table]
 * -- grain: hour          (optional: the answer is the same over hour rows; see Report#hourly)
 * -- description, any number of lines
 * SELECT ...
 * </pre>
 */
public final class Reports {

  static final List<String> NAMES = List.of("carbon-by-site", "carbon-24x7", "idle-waste", "price-performance", "top-stragglers",
      "efficiency-by-generation", "fleet-by-hour", "waste-by-alert-kind", "chargeback", "whatif-trainium3-h100",
      "whatif-carbon-shift", "whatif-reclaim-idle");

  private static final List<Report> ALL = NAMES.stream().map(Reports::load).toList();

  private Reports() {}

  public static List<Report> all() {
    return ALL;
  }

  public static Optional<Report> find(String name) {
    return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The report, or a {@link QueryException} listing the names there are. */
  public static Report named(String name) {
    return find(name).orElseThrow(() -> new QueryException(QueryException.Kind.UNKNOWN_REPORT,
        "no report '" + name + "'; reports: " + String.join(", ", NAMES) + " (--list-reports describes them)"));
  }

  static Report load(String name) {
    String resource = "reports/" + name + ".sql";
    try (InputStream in = Reports.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("report " + name + ": missing resource " + resource);
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Report parse(String name, String text) {
    String title = null;
    List<String> needs = List.of();
    boolean hourly = false;
    List<String> description = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    boolean header = true;
    for (String line : text.split("\n", -1)) {
      if (header && line.startsWith("--")) {
        String c = line.substring(2).strip();
        if (c.startsWith("title:")) {
          title = c.substring("title:".length()).strip();
        } else if (c.startsWith("grain:")) {
          hourly = c.substring("grain:".length()).strip().equals("hour");
        } else if (c.startsWith("needs:")) {
          needs = Arrays.stream(c.substring("needs:".length()).split(",")).map(String::strip)
              .filter(s -> !s.isEmpty()).toList();
        } else {
          description.add(c);
        }
        continue;
      }
      header = false;
      sql.append(line).append('\n');
    }
    if (title == null || needs.isEmpty()) {
      throw new IllegalStateException("report " + name + ": the header needs '-- title:' and '-- needs:' lines");
    }
    return new Report(name, title, String.join(" ", description).strip(), needs, sql.toString().strip(), hourly);
  }
}
