package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every knob of the defaults file, set out of range from the command line, fails naming its key and what it
 * accepts. The list of knobs is read from the defaults file itself, so a knob added there is covered here.
 */
class FleetConfigErrorsTest {

  /** Keys that take any value of their type: a seed, free text. */
  static final Set<String> UNBOUNDED = Set.of("fleet.seed");

  @TempDir Path dir;

  /** Every leaf of the defaults as the dotted key --set takes (sites by id), with its default value. */
  static Map<String, JsonNode> leaves() throws Exception {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(FleetConfigLoader.defaultsText());
    Map<String, JsonNode> out = new LinkedHashMap<>();
    collect(root, "", out);
    return out;
  }

  private static void collect(JsonNode node, String at, Map<String, JsonNode> out) {
    if (node.isObject() && !at.equals("fleet.generation_mix.")) {
      node.fields().forEachRemaining(e -> collect(e.getValue(), at + e.getKey() + ".", out));
    } else if (node.isArray()) {
      for (JsonNode site : node) collect(site, at + site.get("id").asText() + ".", out);
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> out.put(at + e.getKey(), e.getValue()));
    } else {
      out.put(at.substring(0, at.length() - 1), node);
    }
  }

  /** The key as problems name it: sites by index, as in the file. */
  static String reported(String key) {
    if (!key.startsWith("sites.")) return key;
    String[] p = key.split("\\.", 3);
    List<String> ids = FleetConfigLoader.defaults().siteIds();
    return "sites[" + ids.indexOf(p[1]) + "]." + p[2];
  }

  @Test
  void everyNumberOutOfRangeIsNamedWithWhatItAccepts() throws Exception {
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : leaves().entrySet()) {
      String key = e.getKey();
      if (!e.getValue().isNumber() || UNBOUNDED.contains(key)) continue;
      for (String bad : List.of("-1000000000", "1e12")) {
        assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of(key, bad)))
            .as("%s=%s", key, bad)
            .isInstanceOfSatisfying(ConfigException.class, ex -> assertThat(ex.problems())
                .anySatisfy(p -> assertThat(p).startsWith(reported(key) + ": ")
                    .containsAnyOf("must be", "out of range")));
      }
      checked.add(key);
    }
    assertThat(checked).hasSizeGreaterThan(60).contains("faults.ecc_burst_per_chip_day", "sites.us-ms.pue",
        "generations.trn3.max_power_w", "fleet.generation_mix.trn2", "renewables.wind_persistence");
  }

  @Test
  void everyDurationOutOfRangeOrMalformedIsNamed() throws Exception {
    List<String> durations = leaves().entrySet().stream()
        .filter(e -> e.getValue().isTextual() && e.getValue().asText().matches("\\d+(ms|s|m|h|d)"))
        .map(Map.Entry::getKey).toList();
    assertThat(durations).contains("fleet.interval", "workloads.checkpoint_every", "faults.silent_duration",
        "renewables.wind_step");
    for (String key : durations) {
      assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of(key, "400d")))
          .as(key).isInstanceOfSatisfying(ConfigException.class, ex -> assertThat(ex.problems())
              .anySatisfy(p -> assertThat(p).startsWith(key + ": ").contains("must")));
      assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of(key, "ten minutes")))
          .as(key).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(key + ": ").hasMessageContaining("ms, s, m, h, d");
    }
  }

  @Test
  void textKeysWithAFormSayWhichForm() {
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("sites.us-pa.timezone", "Mars/Olympus")))
        .hasMessage("sites[1].timezone: 'Mars/Olympus' is not a time zone; use an IANA name such as America/Chicago");
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("sites.us-pa.id", "Bad Id")))
        .hasMessageContaining("sites[1].id: must be 1-32 lowercase letters, digits or '-', got 'Bad Id'");
  }

  @Test
  void unknownKeysAndSectionsAreNamed() {
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("faults.silent_shar", "0.1")))
        .hasMessageStartingWith("faults.silent_shar: unknown key; known keys here: ")
        .hasMessageContaining("silent_share");
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("fault.silent_share", "0.1")))
        .hasMessageStartingWith("fault.silent_share: no such config section 'fault'; sections: [fleet, sites,");
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("sites.us-tx.share", "0.1")))
        .hasMessageStartingWith("sites.us-tx.share: no site with id 'us-tx'");
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("faults", "0.1")))
        .hasMessageStartingWith("faults: is a section, not a value; set one of its keys: [straggler_share,");
  }

  @Test
  void sharesThatDoNotAddUpSayTheirSum() {
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("sites.us-in.share", "0.6")))
        .hasMessage("sites[*].share: must sum to 1, got 1.1");
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("fleet.generation_mix", "{trn2: 0.5, trn9: 0.5}")))
        .isInstanceOfSatisfying(ConfigException.class, ex -> assertThat(ex.problems()).contains(
            "fleet.generation_mix.trn9: no such generation; define it under generations (have [trn1, trn2, trn3])"));
  }

  @Test
  void aFileSiteWithADefaultIdKeepsTheKeysItLeavesOut() throws Exception {
    Path file = dir.resolve("two-sites.yaml");
    Files.writeString(file, """
        sites:
          - {id: us-in, share: 0.6}
          - {id: us-ms, share: 0.4, pue: 1.1}
        """);
    FleetConfig c = FleetConfigLoader.load(file, Map.of());
    assertThat(c.siteIds()).containsExactly("us-in", "us-ms");
    assertThat(c.site("us-in").gridFactorGPerKwh()).isEqualTo(416);
    assertThat(c.site("us-in").share()).isEqualTo(0.6);
    assertThat(c.site("us-ms").pue()).isEqualTo(1.1);
    assertThat(c.site("us-ms").timezone().getId()).isEqualTo("America/Chicago");
  }

  @Test
  void aNewSiteMustGiveEveryKey() throws Exception {
    Path file = dir.resolve("new-site.yaml");
    Files.writeString(file, """
        sites:
          - {id: us-in, share: 0.5}
          - {id: eu-ie, share: 0.5, timezone: Europe/Dublin}
        """);
    assertThatThrownBy(() -> FleetConfigLoader.load(file, Map.of()))
        .hasMessageStartingWith("sites[1] (eu-ie): a new site needs every key; missing name, pue, pue_source, grid_region,");
  }

  @Test
  void aFileThatIsNotAMappingSaysWhatItShouldBe() throws Exception {
    Path file = dir.resolve("list.yaml");
    Files.writeString(file, "- 1\n- 2\n");
    assertThatThrownBy(() -> FleetConfigLoader.load(file, Map.of()))
        .hasMessageContaining("a fleet file is a YAML mapping (fleet:, sites:, ...), not a array");
    Path tabs = dir.resolve("tabs.yaml");
    Files.writeString(tabs, "fleet:\n\tchips: 64\n");
    assertThatThrownBy(() -> FleetConfigLoader.load(tabs, Map.of()))
        .hasMessageContaining("not valid YAML").hasMessageContaining("(line ");
  }
}
