package io.fleetpulse.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The default generations reproduce AWS's published Trainium3 claims (the seed article, re:Invent 2024): about 4x
 * Trainium2's performance and 40% better energy efficiency (docs/fleet-model.md, generations).
 */
class GenerationClaimsTest {

  static final FleetConfig CFG = FleetConfigLoader.defaults();

  @Test
  void trainium3IsAbout4xTheComputeOfTrainium2PerChipAndPerUltraServer() {
    double ratio = CFG.generation("trn3").deliveredPeakTflops() / CFG.generation("trn2").deliveredPeakTflops();
    assertThat(ratio).isBetween(3.6, 4.4);
  }

  @Test
  void trainium3Delivers1point4xTheTflopsPerWattOfTrainium2AtEveryUtilization() {
    FleetConfig.Generation trn2 = CFG.generation("trn2");
    FleetConfig.Generation trn3 = CFG.generation("trn3");
    assertThat(trn3.tflopsPerWattAtMax() / trn2.tflopsPerWattAtMax()).isBetween(1.38, 1.42);
    for (double u = 0.1; u <= 1.0; u += 0.1) {
      double e2 = u * trn2.deliveredPeakTflops() / (trn2.idlePowerW() + (trn2.maxPowerW() - trn2.idlePowerW()) * u);
      double e3 = u * trn3.deliveredPeakTflops() / (trn3.idlePowerW() + (trn3.maxPowerW() - trn3.idlePowerW()) * u);
      assertThat(e3 / e2).as("utilization %.1f", u).isBetween(1.38, 1.42);
    }
  }

  @Test
  void trainium2KeepsItsBf16PeakAndEmbodiedCarbonIsAmortisedOverTheLifetime() {
    FleetConfig.Generation trn2 = CFG.generation("trn2");
    assertThat(trn2.deliveredPeakTflops()).isEqualTo(667);
    assertThat(trn2.embodiedKgPerChipSecond() * 6 * 365.25 * 86_400).isEqualTo(400, org.assertj.core.data.Offset.offset(1e-9));
  }
}
