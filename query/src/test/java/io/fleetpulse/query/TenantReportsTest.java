package io.fleetpulse.query;

import static io.fleetpulse.query.CollectedRows.d;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetConfigLoader;
import io.fleetpulse.schema.WindowMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chargeback and what-if reports over {@link TenantLake}, whose rows the test wrote: bills in order of cost with
 * unplaced and unknown labelled as such, the reclaimable capacity per tenant, the carbon shift worked out by hand
 * in Java (time zone, flexible hours, largest block to the cleanest hour), and every factor the what-if reports
 * print held equal to the fleet config's defaults (or, for the two H100 figures the config lacks, to their sources).
 */
class TenantReportsTest {

  static final List<String> WHAT_IFS = List.of("whatif-trainium3-h100", "whatif-carbon-shift", "whatif-reclaim-idle");

  @TempDir static Path data;
  static List<WindowMetrics> rows;
  static LakeSql sql;

  @BeforeAll
  static void writeLake() {
    rows = TenantLake.write(data);
    sql = LakeSql.open(data, QueryLimits.endpoint());
  }

  @AfterAll
  static void close() {
    sql.close();
  }

  @Test
  void chargebackBillsTenantsInOrderOfCostThenUnplacedUnknownAndTheFleet() {
    List<Map<String, Object>> bill = CollectedRows.report(sql, "chargeback").rows;
    assertThat(bill.stream().map(r -> r.get("tenant") + "|" + r.get("workload") + "|" + r.get("workload_kind")))
        .containsExactly(
            "beta|all|all", "beta|flex-00005|flex", "beta|resv-00003|reservation",
            "acme|all|all", "acme|serve-00002|inference", "acme|train-00001|training",
            "unplaced|all|all", "unplaced|unplaced|unplaced",
            "unknown|all|all", "unknown|unknown|unknown",
            "all|all|all");
    double fleetCost = sum(r -> true, WindowMetrics::getCostUsd);
    for (Map<String, Object> r : bill) {
      Predicate<WindowMetrics> in = w -> (r.get("tenant").equals("all") || r.get("tenant").equals(w.getTenant()))
          && (r.get("workload").equals("all") || r.get("workload").equals(w.getWorkload()));
      double cost = sum(in, WindowMetrics::getCostUsd);
      double idle = sum(in, WindowMetrics::getIdleCostUsd);
      double pflop = sum(in, WindowMetrics::getDeliveredPflop);
      close(r, "chip_hours", sum(in, WindowMetrics::getChipSeconds) / 3600);
      close(r, "it_energy_kwh", sum(in, WindowMetrics::getItEnergyKwh));
      close(r, "facility_energy_kwh", sum(in, WindowMetrics::getFacilityEnergyKwh));
      close(r, "carbon_location_kg", sum(in, WindowMetrics::getCarbonLocationKg));
      close(r, "carbon_market_kg", sum(in, WindowMetrics::getCarbonMarketKg));
      close(r, "cost_usd", cost);
      close(r, "idle_cost_usd", idle);
      close(r, "idle_share", idle / cost);
      close(r, "busy_cost_usd", cost - idle);
      close(r, "delivered_pflop", pflop);
      close(r, "usd_per_pflop", cost / pflop);
      close(r, "share_of_fleet_cost", cost / fleetCost);
    }
    assertThat(d(bill.get(2), "idle_share")).as("a reservation is all idle").isEqualTo(1.0);
  }

  @Test
  void reclaimIdleFreesTheReservationsAndTheUnplacedCapacityPerTenant() {
    List<Map<String, Object>> out = CollectedRows.report(sql, "whatif-reclaim-idle").rows;
    List<Map<String, Object>> results = out.stream().filter(r -> r.get("section").equals("result")).toList();
    assertThat(results.stream().map(r -> (String) r.get("scope")).distinct()).containsExactly("beta", "unplaced", "all");
    Predicate<WindowMetrics> reclaimable = w -> w.getWorkload().startsWith("resv-") || w.getWorkload().equals("unplaced");
    for (String scope : List.of("beta", "unplaced", "all")) {
      Predicate<WindowMetrics> in = w -> reclaimable.test(w) && (scope.equals("all") || scope.equals(w.getTenant()));
      Predicate<WindowMetrics> tenant = w -> scope.equals("all") || scope.equals(w.getTenant());
      Map<String, Map<String, Object>> f = figures(results, scope);
      double cost = sum(in, WindowMetrics::getCostUsd);
      close(f.get("ultraservers"), "value", scope.equals("all") ? 2 : 1);
      close(f.get("chip_hours"), "value", sum(in, WindowMetrics::getChipSeconds) / 3600);
      close(f.get("idle_chip_hours"), "value",
          sum(in, w -> w.getChipSeconds() * w.getIdleSamples() / w.getSamples()) / 3600);
      close(f.get("cost_usd"), "value", cost);
      close(f.get("idle_cost_usd"), "value", sum(in, WindowMetrics::getIdleCostUsd));
      close(f.get("share_of_tenant_cost"), "value", cost / sum(tenant, WindowMetrics::getCostUsd));
      close(f.get("share_of_fleet_idle_cost"), "value",
          sum(in, WindowMetrics::getIdleCostUsd) / sum(w -> true, WindowMetrics::getIdleCostUsd));
      close(f.get("it_energy_kwh"), "value", sum(in, WindowMetrics::getItEnergyKwh));
      close(f.get("idle_it_energy_kwh"), "value", sum(in, WindowMetrics::getIdleEnergyKwh));
      close(f.get("idle_facility_energy_kwh"), "value", sum(in, w -> w.getIdleEnergyKwh() * WindowRecords.PUE));
      close(f.get("idle_carbon_location_kg"), "value",
          sum(in, w -> w.getIdleEnergyKwh() * w.getCarbonLocationKg() / w.getItEnergyKwh()));
      close(f.get("idle_carbon_market_kg"), "value",
          sum(in, w -> w.getIdleEnergyKwh() * w.getCarbonMarketKg() / w.getItEnergyKwh()));
    }
    assertThat(figures(results, "beta").get("ultraservers").get("note")).isEqualTo("resv-00003");
    assertThat(figures(results, "unplaced").get("ultraservers").get("note")).isEqualTo("unplaced");
  }

  /**
   * By hand: the flex job trains at UTC 01-12 (Indianapolis night); its hourly blocks, largest first, go to us-in's
   * twelve cleanest hours of the day, cleanest first; each hour's intensity is the one the test gave it.
   */
  @Test
  void carbonShiftMovesTheFlexJobsNightTrainingIntoTheCleanestHours() {
    List<WindowMetrics> flexible = rows.stream().filter(w -> w.getWorkload().equals("flex-00005"))
        .filter(w -> TenantLake.flexTrains(w.getWindowStart().atZone(ZoneOffset.UTC).getHour()))
        .sorted(Comparator.comparingDouble(WindowMetrics::getFacilityEnergyKwh).reversed()).toList();
    assertThat(flexible.stream().map(w -> w.getWindowStart().atZone(ZoneOffset.UTC).getHour()).sorted())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    List<Integer> cleanest = new ArrayList<>();
    for (int h = 0; h < 24; h++) cleanest.add(h);
    cleanest.sort(Comparator.comparingDouble(TenantLake::usInGrid));
    double asRun = 0;
    double shifted = 0;
    double marketAsRun = 0;
    double marketShifted = 0;
    Map<Integer, Integer> moves = new java.util.TreeMap<>();
    for (int k = 0; k < flexible.size(); k++) {
      WindowMetrics w = flexible.get(k);
      int to = cleanest.get(k);
      moves.put(w.getWindowStart().atZone(ZoneOffset.UTC).getHour(), to);
      asRun += w.getCarbonLocationKg();
      marketAsRun += w.getCarbonMarketKg();
      shifted += w.getFacilityEnergyKwh() * TenantLake.usInGrid(to) / 1000;
      Predicate<WindowMetrics> target = x -> x.getSite().equals("us-in")
          && x.getWindowStart().atZone(ZoneOffset.UTC).getHour() == to;
      marketShifted += w.getFacilityEnergyKwh() * sum(target, WindowMetrics::getCarbonMarketKg)
          / sum(target, WindowMetrics::getFacilityEnergyKwh);
    }
    List<Map<String, Object>> out = CollectedRows.report(sql, "whatif-carbon-shift").rows;
    List<Map<String, Object>> results = out.stream().filter(r -> r.get("section").equals("result")).toList();
    assertThat(results.stream().map(r -> (String) r.get("scope")).distinct()).containsExactly("us-in", "all");
    for (String scope : List.of("us-in", "all")) {
      Map<String, Map<String, Object>> f = figures(results, scope);
      close(f.get("flexible_hours"), "value", 12);
      close(f.get("flexible_chip_hours"), "value", 12 * TenantLake.SAMPLES * 10 / 3600.0);
      close(f.get("flexible_facility_energy_kwh"), "value",
          flexible.stream().mapToDouble(WindowMetrics::getFacilityEnergyKwh).sum());
      close(f.get("carbon_location_kg_as_run"), "value", asRun);
      close(f.get("carbon_location_kg_shifted"), "value", shifted);
      close(f.get("carbon_location_kg_saved"), "value", asRun - shifted);
      close(f.get("saved_share_of_flexible"), "value", (asRun - shifted) / asRun);
      close(f.get("carbon_market_kg_as_run"), "value", marketAsRun);
      close(f.get("carbon_market_kg_shifted"), "value", marketShifted);
      close(f.get("carbon_market_kg_saved"), "value", marketAsRun - marketShifted);
      close(f.get("chip_cost_usd_saved"), "value", 0);
    }
    close(figures(results, "us-in").get("saved_share_of_site"), "value",
        (asRun - shifted) / sum(w -> w.getSite().equals("us-in"), WindowMetrics::getCarbonLocationKg));
    close(figures(results, "all").get("saved_share_of_site"), "value",
        (asRun - shifted) / sum(w -> true, WindowMetrics::getCarbonLocationKg));
    assertThat(asRun - shifted).as("the cleanest hours beat the night's").isPositive();
    assertThat(figures(results, "us-in").get("flexible_hours").get("note")).isEqualTo(moves.entrySet().stream()
        .map(e -> String.format("2026-11-25 %02d->%02d", e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
  }

  /**
   * Every factor a what-if prints is the fleet config's: a figure named by a config key (generations.trn3.max_power_w,
   * sites.us-in.timezone) has that key's default value; the two H100 figures the config lacks are held to their
   * sources (the TDP docs/design.md cites; the idle share every Trainium generation has in the config).
   */
  @Test
  void whatIfFactorsAreTheFleetConfigsDefaults() throws IOException {
    JsonNode defaults = new ObjectMapper(new YAMLFactory()).readTree(FleetConfigLoader.defaultsText());
    FleetConfig cfg = FleetConfigLoader.defaults();
    String design = Files.readString(ShippedSqlPassesTheGuardTest.repo().resolve("docs/design.md"));
    Map<String, Integer> factorsPerReport = new LinkedHashMap<>();
    for (String report : WHAT_IFS) {
      List<Map<String, Object>> factors = CollectedRows.report(sql, report).rows.stream()
          .filter(r -> r.get("section").equals("assumption") && r.get("scope").equals("factors")).toList();
      factorsPerReport.put(report, factors.size());
      for (Map<String, Object> f : factors) {
        String name = (String) f.get("figure");
        String where = report + ": " + name;
        if (name.matches("sites\\.[^.]+\\.timezone")) {
          String site = name.split("\\.")[1];
          assertThat(f.get("note")).as(where).isEqualTo(cfg.site(site).timezone().getId());
        } else if (name.startsWith("generations.") || name.startsWith("gpu_baseline.") || name.startsWith("workloads.")) {
          JsonNode value = defaults.at("/" + name.replace('.', '/'));
          assertThat(value.isNumber()).as("%s is a number in fleet-defaults.yaml", where).isTrue();
          assertThat(d(f, "value")).as(where).isEqualTo(value.asDouble());
        } else if (name.equals("h100.max_power_w")) {
          assertThat(d(f, "value")).as(where).isEqualTo(700.0);
          assertThat(design).as("docs/design.md cites the H100 TDP").contains("H100 SXM 80 GB, 700 W TDP");
        } else if (name.equals("h100.idle_power_share")) {
          for (Map.Entry<String, FleetConfig.Generation> g : cfg.generations().entrySet()) {
            assertThat(g.getValue().idlePowerW() / g.getValue().maxPowerW()).as("%s: %s idle/max", where, g.getKey())
                .isCloseTo(d(f, "value"), within(1e-12));
          }
        } else {
          throw new AssertionError(where + ": a factor this test cannot tie to the fleet config or a source");
        }
      }
    }
    assertThat(factorsPerReport).containsEntry("whatif-trainium3-h100", 11).containsEntry("whatif-carbon-shift", 5);
    // Every site of the defaults has its zone in the carbon shift, so a default fleet's flex work is all covered.
    assertThat(cfg.siteIds()).allSatisfy(site -> assertThat(CollectedRows.report(sql, "whatif-carbon-shift").rows)
        .anySatisfy(r -> assertThat(r.get("figure")).isEqualTo("sites." + site + ".timezone")));
  }

  @Test
  void everyWhatIfStatesItsMethod() {
    for (String report : WHAT_IFS) {
      List<Map<String, Object>> method = CollectedRows.report(sql, report).rows.stream()
          .filter(r -> r.get("section").equals("assumption") && r.get("scope").equals("method")).toList();
      assertThat(method).as(report).isNotEmpty()
          .allSatisfy(r -> assertThat((String) r.get("note")).as(report).isNotBlank());
    }
  }

  private static Map<String, Map<String, Object>> figures(List<Map<String, Object>> rows, String scope) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    rows.stream().filter(r -> r.get("scope").equals(scope)).forEach(r -> out.put((String) r.get("figure"), r));
    return out;
  }

  private static double sum(Predicate<WindowMetrics> in, ToDoubleFunction<WindowMetrics> f) {
    return rows.stream().filter(in).mapToDouble(f).sum();
  }

  private static void close(Map<String, Object> row, String column, double expected) {
    assertThat(row).as("row for %s", column).isNotNull();
    assertThat(d(row, column)).as("%s of %s", column, row)
        .isCloseTo(expected, within(Math.abs(expected) * 1e-9 + 1e-12));
  }
}
