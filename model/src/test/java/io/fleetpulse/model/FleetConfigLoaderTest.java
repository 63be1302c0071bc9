package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaultsAreThePublishedFigures() {
    FleetConfig c = FleetConfigLoader.defaults();
    assertThat(c.fleet().chips()).isEqualTo(1_000_000);
    assertThat(c.fleet().ultraservers()).isEqualTo(15_625);
    assertThat(c.fleet().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.siteIds()).containsExactly("us-in", "us-pa", "us-ms");
    assertThat(c.site("us-in").gridFactorGPerKwh()).isEqualTo(416);
    assertThat(c.site("us-pa").gridFactorGPerKwh()).isEqualTo(272);
    assertThat(c.site("us-ms").gridFactorGPerKwh()).isEqualTo(337);
    assertThat(c.generation("trn2").peakTflops()).isEqualTo(667);
    assertThat(c.generation("trn2").pricePerChipHourUsd()).isEqualTo(35.76 / 16);
    assertThat(c.gpuBaseline().pricePerGpuHourUsd()).isEqualTo(55.04 / 8);
  }

  @Test
  void fileAndOverridesMergeOverDefaults() throws Exception {
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(file, "fleet:\n  seed: 7\n  generation_mix: {trn3: 0.5, trn2: 0.5}\npower:\n  noise_w: 1\n");
    FleetConfig c = FleetConfigLoader.load(file, Map.of("fleet.chips", "6400", "fleet.interval", "5s"));
    assertThat(c.fleet().seed()).isEqualTo(7);
    assertThat(c.fleet().chips()).isEqualTo(6400);
    assertThat(c.fleet().interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.fleet().generationMix()).containsOnlyKeys("trn2", "trn3");
    assertThat(c.power().noiseW()).isEqualTo(1);
    assertThat(c.workloads().trainingShare()).isEqualTo(0.45);
  }

  @Test
  void everyBadValueIsNamedWithItsRange() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        fleet:
          chips: 1000
        sites:
          - {id: a, name: A, timezone: UTC, share: 0.7, pue: 0.9, pue_source: s, grid_region: X, grid_factor_g_per_kwh: 100,
             grid_factor_source: s, solar_peak_share: 0.1, wind_mean_share: 0.1, wind_variability: 0.1}
        workloads:
          training_share: 0.9
        """);
    assertThatThrownBy(() -> FleetConfigLoader.load(file, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
            "fleet.chips: must be a multiple of 64 (one UltraServer), got 1000",
            "sites[0].pue: must be in [1, 3], got 0.9",
            "sites[*].share: must sum to 1, got 0.7")
            .anySatisfy(p -> assertThat(p).startsWith("workloads.*_share: ")));
  }

  @Test
  void unknownKeyIsNamed() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, "fleet:\n  chipz: 64\n");
    assertThatThrownBy(() -> FleetConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("fleet.chipz: unknown key")
        .hasMessageContaining("chips");
  }

  @Test
  void wrongTypesAndDurationsAreNamed() {
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("fleet.interval", "ten seconds")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("fleet.interval: ")
        .hasMessageContaining("10s");
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("fleet.interval", "7s")))
        .hasMessage("fleet.interval: must divide one minute evenly (e.g. 1s, 5s, 10s, 30s, 1m), got 7s");
    assertThatThrownBy(() -> FleetConfigLoader.load(null, Map.of("fleet.chips", "many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("fleet.chips: ");
  }

  @Test
  void missingFileAndBadYamlSayWhat() throws Exception {
    assertThatThrownBy(() -> FleetConfigLoader.load(dir.resolve("nope.yaml"), Map.of()))
        .hasMessageContaining("no such file");
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "fleet: [unclosed\n");
    assertThatThrownBy(() -> FleetConfigLoader.load(file, Map.of())).hasMessageContaining("not valid YAML");
  }

  @Test
  void gpuBaselineCostPerPflop() {
    FleetConfig.GpuBaseline h100 = FleetConfigLoader.defaults().gpuBaseline();
    // $6.88 per hour buys 989 TFLOPS * 0.40 * 3600 s = 1424.16 PFLOP.
    assertThat(h100.usdPerPflop()).isCloseTo(6.88 / 1424.16, org.assertj.core.data.Offset.offset(1e-12));
  }
}
