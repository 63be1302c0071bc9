package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/fleet-model.md documents every key of the defaults file with the default the file has; the example fleet of
 * that page loads and validates.
 */
class FleetModelDocsTest {

  static final Path DOCS = Path.of("..", "docs");

  /** Rows of the page's tables whose first cell is a `key`: key -> (column name -> cell). */
  static Map<String, Map<String, String>> documentedRows() throws Exception {
    Map<String, Map<String, String>> rows = new HashMap<>();
    List<String> header = null;
    for (String line : Files.readAllLines(DOCS.resolve("fleet-model.md"))) {
      if (!line.startsWith("|")) {
        header = null;
        continue;
      }
      List<String> cells = cells(line);
      if (header == null) {
        header = cells;
      } else if (cells.get(0).matches("`[a-z0-9_.*\\[\\]]+`")) {
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < Math.min(header.size(), cells.size()); i++) row.put(header.get(i), cells.get(i));
        rows.put(cells.get(0).replace("`", ""), row);
      }
    }
    return rows;
  }

  private static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    for (String c : line.substring(1, line.lastIndexOf('|')).split("\\|")) cells.add(c.trim());
    return cells;
  }

  /** The documented key of a leaf: sites by `sites[].key`, generations by `generations.*.key`. */
  static String documentedKey(String leaf) {
    String[] p = leaf.split("\\.");
    if (p[0].equals("sites")) return "sites[]." + p[2];
    if (p[0].equals("generations")) return "generations.*." + p[2];
    if (leaf.startsWith("fleet.generation_mix.")) return "fleet.generation_mix";
    if (leaf.startsWith("workloads.tenant_mix.")) return "workloads.tenant_mix";
    return leaf;
  }

  /** The column holding the default: the site or generation id for those tables, else "default". */
  static String column(String leaf) {
    String[] p = leaf.split("\\.");
    return p[0].equals("sites") || p[0].equals("generations") ? p[1] : "default";
  }

  @Test
  void everyKeyOfTheDefaultsIsDocumentedWithItsDefault() throws Exception {
    Map<String, Map<String, String>> rows = documentedRows();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : FleetConfigErrorsTest.leaves().entrySet()) {
      String key = documentedKey(e.getKey());
      Map<String, String> row = rows.get(key);
      if (row == null) {
        problems.add(key + ": not in docs/fleet-model.md");
        continue;
      }
      String cell = row.get(column(e.getKey()));
      if (cell == null) {
        problems.add(key + ": no column " + column(e.getKey()));
      } else if (key.equals("fleet.generation_mix") || key.equals("workloads.tenant_mix")) {
        String mixEntry = e.getKey().substring(key.length() + 1) + ": " + e.getValue().asText();
        if (!cell.contains(mixEntry)) problems.add(key + ": documented '" + cell + "', defaults have " + mixEntry);
      } else if (!sameValue(cell, e.getValue())) {
        problems.add(e.getKey() + ": documented '" + cell + "', defaults have '" + e.getValue().asText() + "'");
      }
    }
    assertThat(problems).isEmpty();
    for (Map<String, String> row : rows.values()) {
      assertThat(row).as("every documented knob has a unit or range and a place it shows")
          .containsKeys("range", "shows in");
    }
  }

  private static boolean sameValue(String cell, JsonNode value) {
    if (value.isNumber()) {
      try {
        return Double.parseDouble(cell.replace(",", "")) == value.asDouble();
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return cell.equals(value.asText());
  }

  @Test
  void everyDocumentedKeyExists() throws Exception {
    List<String> known = FleetConfigErrorsTest.leaves().keySet().stream().map(FleetModelDocsTest::documentedKey).toList();
    assertThat(known).containsAll(documentedRows().keySet());
  }

  @Test
  void theExampleFleetLoadsAndIsWhatItSays() {
    FleetConfig c = FleetConfigLoader.load(DOCS.resolve("examples/trn3-mixed-fleet.yaml"), Map.of());
    assertThat(c.fleet().chips()).isEqualTo(262_144);
    assertThat(c.siteIds()).containsExactly("us-in", "us-pa", "us-ms", "us-tx");
    assertThat(c.site("us-in").gridFactorGPerKwh()).as("inherited from the default site").isEqualTo(416);
    assertThat(c.fleet().generationMix()).containsOnlyKeys("trn2", "trn3");
    FleetLayout layout = new FleetLayout(c);
    assertThat(layout.generationIds()).containsExactly("trn2", "trn3");
    long trn3 = java.util.stream.IntStream.range(0, layout.ultraservers())
        .filter(us -> layout.generationId(us).equals("trn3")).count();
    assertThat(trn3 / (double) layout.ultraservers()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(0.01));
  }
}
