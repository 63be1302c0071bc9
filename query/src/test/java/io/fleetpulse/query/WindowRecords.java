package io.fleetpulse.query;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * UltraServer-window records built from a few chosen inputs with the formulas of docs/metrics.md, for test lakes
 * whose expected report rows a test can sum by hand. Factors are the published defaults (PUE 1.15; eGRID
 * factors; trn2 667 TFLOPS at $2.235 per chip-hour; GPU baseline $6.88 / (989 TFLOPS x 0.4 x 3.6)).
 */
final class WindowRecords {

  static final double PUE = 1.15;
  static final double GPU_USD_PER_PFLOP = 6.88 / (989 * 0.40 * 3.6);

  /** What a test chooses about one UltraServer-minute; the rest follows from the formulas. */
  record Input(int ultraserver, String site, String generation, Instant start, int samples, double utilizationSum,
      double powerSumW, int idleSamples, double idlePowerSumW, double renewableShare) {}

  private WindowRecords() {}

  static double grid(String site) {
    return switch (site) {
      case "us-in" -> 416;
      case "us-pa" -> 272;
      case "us-ms" -> 337;
      default -> throw new IllegalArgumentException(site);
    };
  }

  static double peak(String generation) {
    return switch (generation) {
      case "trn1" -> 190;
      case "trn2" -> 667;
      case "trn3" -> 671;
      default -> throw new IllegalArgumentException(generation);
    };
  }

  static double price(String generation) {
    return switch (generation) {
      case "trn1" -> 1.34375;
      case "trn2" -> 2.235;
      case "trn3" -> 4.47;
      default -> throw new IllegalArgumentException(generation);
    };
  }

  /** A record with 10 s samples, as the default fleet sends. */
  static WindowMetrics of(Input in) {
    double dt = 10;
    double it = in.powerSumW() * dt / 3.6e6;
    double facility = it * PUE;
    double residual = facility * (1 - in.renewableShare());
    double pflop = in.utilizationSum() * peak(in.generation()) * dt / 1000;
    double locationKg = facility * grid(in.site()) / 1000;
    double marketKg = residual * grid(in.site()) / 1000;
    double cost = in.samples() * dt / 3600 * price(in.generation());
    double usdPerPflop = cost / pflop;
    double gridCfe = residual * 0.3;
    double embodiedKg = in.samples() * dt * 400 / (6 * 365.25 * 86_400);
    return WindowMetrics.newBuilder()
        .setResidualFactorGPerKwh(grid(in.site()))
        .setGridCfeEnergyKwh(gridCfe)
        .setCfeShare((facility - residual + gridCfe) / facility)
        .setEmbodiedCarbonKg(embodiedKg)
        .setCarbonTotalGPerPflop((locationKg + embodiedKg) * 1000 / pflop)
        .setCarbonTotalMarketGPerPflop((marketKg + embodiedKg) * 1000 / pflop)
        .setHourlyFactorWindows(1)
        .setLevel(AggregationLevel.ULTRASERVER)
        .setWindowStart(in.start())
        .setWindowEnd(in.start().plusSeconds(60))
        .setUltraserverId(in.ultraserver())
        .setSite(in.site())
        .setGeneration(in.generation())
        .setUltraservers(1)
        .setSamples(in.samples())
        .setChipsReporting(Math.min(64, in.samples()))
        .setChipSeconds(in.samples() * dt)
        .setUtilizationSum(in.utilizationSum())
        .setUtilizationAvg(in.utilizationSum() / in.samples())
        .setUtilizationP50(in.utilizationSum() / in.samples())
        .setUtilizationP95(in.utilizationSum() / in.samples())
        .setUtilizationP99(in.utilizationSum() / in.samples())
        .setUtilizationSketch(ByteBuffer.allocate(0))
        .setHbmUsedSumGib(in.samples() * 50.0)
        .setHbmCapacitySumGib(in.samples() * 96.0)
        .setHbmUsedAvgGib(50.0)
        .setHbmUtil(50.0 / 96)
        .setPowerSumW(in.powerSumW())
        .setPowerAvgW(in.powerSumW() / in.samples())
        .setPowerMaxW(500)
        .setItEnergyKwh(it)
        .setPue(PUE)
        .setFacilityEnergyKwh(facility)
        .setResidualFacilityEnergyKwh(residual)
        .setIdleSamples(in.idleSamples())
        .setIdleEnergyKwh(in.idlePowerSumW() * dt / 3.6e6)
        .setDeliveredPflop(pflop)
        .setEfficiencyTflopsPerW(pflop * 1e15 / (it * 3.6e6) / 1e12)
        .setGridFactorGPerKwh(grid(in.site()))
        .setCarbonLocationKg(locationKg)
        .setCarbonMarketKg(marketKg)
        .setCarbonLocationGPerPflop(locationKg * 1000 / pflop)
        .setCarbonMarketGPerPflop(marketKg * 1000 / pflop)
        .setCostUsd(cost)
        .setUsdPerPflop(usdPerPflop)
        .setGpuReferenceUsdPerPflop(GPU_USD_PER_PFLOP)
        .setPricePerfVsGpu(GPU_USD_PER_PFLOP / usdPerPflop - 1)
        .setPowerModelled(true)
        .build();
  }
}
