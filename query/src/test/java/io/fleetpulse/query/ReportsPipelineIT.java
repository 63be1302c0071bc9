package io.fleetpulse.query;

import static io.fleetpulse.query.CollectedRows.d;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reports over a lake the real pipeline wrote (a day of a small mixed fleet), each figure checked against
 * sums taken straight from the generator's sample function and the fleet's published factors
 * ({@link SampleOracle}), to 1e-9 relative.
 */
@Timeout(300)
class ReportsPipelineIT extends PipelineLakeQueries {

  @Test
  void theLakeHoldsEveryWindowTheGeneratorProduced() {
    Map<String, Object> row = CollectedRows.query(sql,
        "SELECT count(*) AS windows, sum(samples) AS samples FROM ultraserver_window").rows.get(0);
    assertThat(((Number) row.get("windows")).longValue()).isEqualTo(oracle.windows.size());
    assertThat(((Number) row.get("samples")).longValue()).isEqualTo(lake.produced.samples());
  }

  @Test
  void carbonBySiteMatchesTheSamples() {
    Map<String, SampleOracle.Group> expected = oracle.groupBy(w -> w.site + "|" + day(w.start));
    List<Map<String, Object>> rows = CollectedRows.report(sql, "carbon-by-site").rows;
    assertThat(rows.stream().map(r -> r.get("site") + "|" + r.get("day")))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(expected.keySet().stream().map(k -> k.split("\\|")[0]).distinct()).hasSize(3);
    for (Map<String, Object> r : rows) {
      SampleOracle.Group g = expected.get(r.get("site") + "|" + r.get("day"));
      close(r, "facility_energy_kwh", g.facilityKwh);
      close(r, "carbon_location_kg", g.carbonLocationKg);
      close(r, "carbon_market_kg", g.carbonMarketKg);
      close(r, "avoided_by_renewables_kg", g.carbonLocationKg - g.carbonMarketKg);
      close(r, "renewable_share", 1 - g.residualKwh / g.facilityKwh);
      close(r, "carbon_location_g_per_pflop", g.carbonLocationKg * 1000 / g.pflop);
      close(r, "carbon_market_g_per_pflop", g.carbonMarketKg * 1000 / g.pflop);
      assertThat(d(r, "carbon_market_kg")).isLessThan(d(r, "carbon_location_kg"));
    }
  }

  @Test
  void idleWasteMatchesTheIdleSamples() {
    Map<String, SampleOracle.Group> expected = oracle.groupBy(w -> w.site + "|" + w.generation);
    expected.put("all|all", oracle.groupBy(w -> "all").get("all"));
    List<Map<String, Object>> rows = CollectedRows.report(sql, "idle-waste").rows;
    assertThat(rows.stream().map(r -> r.get("site") + "|" + r.get("generation")))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(rows.get(rows.size() - 1).get("site")).isEqualTo("all");
    for (Map<String, Object> r : rows) {
      SampleOracle.Group g = expected.get(r.get("site") + "|" + r.get("generation"));
      close(r, "idle_it_energy_kwh", g.idleItKwh);
      close(r, "idle_facility_energy_kwh", g.idleFacilityKwh);
      close(r, "idle_share_of_it_energy", g.idleItKwh / g.itKwh);
      close(r, "idle_chip_hours", g.idleChipSeconds / 3600);
      close(r, "idle_cost_usd", g.idleCostUsd);
      close(r, "idle_carbon_location_kg", g.idleCarbonLocationKg);
      close(r, "idle_carbon_market_kg", g.idleCarbonMarketKg);
    }
    assertThat(d(rows.get(rows.size() - 1), "idle_cost_usd")).as("the fleet has idle capacity").isPositive();
  }

  @Test
  void pricePerformanceByBandMatchesTheSamples() {
    Map<String, SampleOracle.Group> expected = oracle.groupBy(w -> w.generation + "|"
        + Math.min((int) Math.floor(w.utilizationSum / w.samples * 10), 9));
    List<Map<String, Object>> rows = CollectedRows.report(sql, "price-performance").rows;
    assertThat(rows.stream().map(r -> r.get("generation") + "|" + Math.round(d(r, "band_from") * 10)))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map<String, Object> r : rows) {
      SampleOracle.Group g = expected.get(r.get("generation") + "|" + Math.round(d(r, "band_from") * 10));
      assertThat(((Number) r.get("ultraserver_windows")).longValue()).isEqualTo(g.windows);
      close(r, "chip_hours", g.chipSeconds / 3600);
      close(r, "utilization", g.utilizationSum / g.samples);
      close(r, "cost_usd", g.costUsd);
      close(r, "delivered_pflop", g.pflop);
      close(r, "usd_per_pflop", g.costUsd / g.pflop);
      close(r, "gpu_usd_per_pflop", oracle.gpuUsdPerPflop);
      close(r, "price_perf_vs_gpu", oracle.gpuUsdPerPflop * g.pflop / g.costUsd - 1);
      assertThat(d(r, "utilization")).isBetween(d(r, "band_from"), d(r, "band_to"));
    }
  }

  @Test
  void efficiencyByGenerationMatchesTheSamples() {
    Map<String, SampleOracle.Group> expected = oracle.groupBy(w -> w.generation);
    List<Map<String, Object>> rows = CollectedRows.report(sql, "efficiency-by-generation").rows;
    assertThat(rows.stream().map(r -> (String) r.get("generation")))
        .containsExactly("trn1", "trn2", "trn3");
    for (Map<String, Object> r : rows) {
      SampleOracle.Group g = expected.get((String) r.get("generation"));
      assertThat(((Number) r.get("ultraservers")).intValue()).isEqualTo(g.ultraservers.size());
      close(r, "chip_hours", g.chipSeconds / 3600);
      close(r, "utilization", g.utilizationSum / g.samples);
      close(r, "power_avg_w", g.powerSum / g.samples);
      close(r, "it_energy_kwh", g.itKwh);
      close(r, "delivered_pflop", g.pflop);
      // TFLOPS/W = delivered FLOP / IT energy in J / 1e12
      close(r, "efficiency_tflops_per_w", g.pflop * 1e15 / (g.itKwh * 3.6e6) / 1e12);
      close(r, "usd_per_pflop", g.costUsd / g.pflop);
      close(r, "carbon_location_g_per_pflop", g.carbonLocationKg * 1000 / g.pflop);
      close(r, "carbon_market_g_per_pflop", g.carbonMarketKg * 1000 / g.pflop);
      close(r, "price_perf_vs_gpu", oracle.gpuUsdPerPflop * g.pflop / g.costUsd - 1);
    }
  }

  @Test
  void fleetByHourMatchesTheSamples() {
    Map<Long, SampleOracle.Group> expected = oracle.groupBy(w -> Math.floorDiv(w.start, 3_600_000L) * 3_600_000L);
    List<Map<String, Object>> rows = CollectedRows.report(sql, "fleet-by-hour").rows;
    assertThat(rows).hasSize(24);
    assertThat(rows.stream().map(r -> ((Instant) r.get("hour_start")).toEpochMilli()).collect(Collectors.toList()))
        .containsExactlyElementsOf(expected.keySet().stream().sorted().toList());
    for (Map<String, Object> r : rows) {
      SampleOracle.Group g = expected.get(((Instant) r.get("hour_start")).toEpochMilli());
      close(r, "chips_reporting", (double) g.chipsReporting / g.windowStarts.size());
      close(r, "utilization", g.utilizationSum / g.samples);
      close(r, "power_avg_w", g.powerSum / g.samples);
      close(r, "it_energy_kwh", g.itKwh);
      close(r, "facility_energy_kwh", g.facilityKwh);
      close(r, "efficiency_tflops_per_w", g.pflop / g.itKwh / 3600);
      close(r, "usd_per_pflop", g.costUsd / g.pflop);
      close(r, "renewable_share", 1 - g.residualKwh / g.facilityKwh);
    }
  }

  private static LocalDate day(long epochMs) {
    return Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC).toLocalDate();
  }

  private static void close(Map<String, Object> row, String column, double expected) {
    assertThat(d(row, column)).as("%s of %s", column, row).isCloseTo(expected, within(Math.abs(expected) * 1e-9 + 1e-12));
  }
}
