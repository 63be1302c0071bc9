package io.fleetpulse.query;

import static io.fleetpulse.query.CollectedRows.d;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetpulse.model.FleetConfig;
import io.fleetpulse.model.FleetLayout;
import io.fleetpulse.model.Placement;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chargeback and what-if reports over a lake the real pipeline wrote (a day of a small mixed fleet): totals
 * against fleet_window and tenant_window as DuckDB sums them, every other figure against {@link SampleOracle} (the
 * generator's samples and the fleet's published factors) grouped by the fleet layout's own workloads, tenants and
 * placements, with the what-if arithmetic redone in Java from the fleet config, to 1e-9 relative.
 */
@Timeout(300)
class TenantReportsPipelineIT extends PipelineLakeQueries {

  /** Not in the fleet config: H100 SXM TDP (docs/design.md S5), and the config's idle share of every Trainium. */
  static final double H100_MAX_W = 700;
  static final double H100_IDLE_SHARE = 0.30;

  static FleetConfig cfg;
  static FleetLayout layout;
  static final double HOURS = PipelineLake.DURATION.toSeconds() / 3600.0;

  @BeforeAll
  static void fleet() {
    cfg = lake.model.config();
    layout = lake.model.layout();
  }

  static String workloadOf(SampleOracle.Window w) {
    int workload = layout.workload(w.ultraserver);
    return workload < 0 ? FleetLayout.UNPLACED : layout.workloadName(workload);
  }

  static String tenantOf(SampleOracle.Window w) {
    int workload = layout.workload(w.ultraserver);
    return workload < 0 ? FleetLayout.UNPLACED : layout.tenantOf(workload);
  }

  @Test
  void chargebackTotalsAreFleetWindowsAndTenantWindowsAndEachWorkloadsSamples() {
    List<Map<String, Object>> bill = CollectedRows.report(sql, "chargeback").rows;
    Map<String, Object> total = bill.get(bill.size() - 1);
    assertThat(total.get("tenant")).isEqualTo("all");
    Map<String, Object> fleet = CollectedRows.query(sql, "SELECT sum(chip_seconds) / 3600 AS chip_hours, "
        + "sum(it_energy_kwh) AS it_energy_kwh, sum(facility_energy_kwh) AS facility_energy_kwh, "
        + "sum(carbon_location_kg) AS carbon_location_kg, sum(carbon_market_kg) AS carbon_market_kg, "
        + "sum(cost_usd) AS cost_usd, sum(idle_cost_usd) AS idle_cost_usd, sum(delivered_pflop) AS delivered_pflop "
        + "FROM fleet_window").rows.get(0);
    for (String column : fleet.keySet()) close(total, column, d(fleet, column));
    assertThat(d(total, "idle_cost_usd")).as("the fleet has idle capacity").isPositive();

    Map<String, Map<String, Object>> tenants = new HashMap<>();
    for (Map<String, Object> r : CollectedRows.query(sql, "SELECT tenant, sum(chip_seconds) / 3600 AS chip_hours, "
        + "sum(carbon_location_kg) AS carbon_location_kg, sum(cost_usd) AS cost_usd, sum(idle_cost_usd) AS idle_cost_usd "
        + "FROM tenant_window GROUP BY tenant").rows) {
      tenants.put((String) r.get("tenant"), r);
    }
    List<Map<String, Object>> tenantRows = bill.stream()
        .filter(r -> r.get("workload").equals("all") && !r.get("tenant").equals("all")).toList();
    assertThat(tenantRows.stream().map(r -> (String) r.get("tenant"))).containsExactlyInAnyOrderElementsOf(tenants.keySet());
    assertThat(tenantRows.stream().filter(r -> !FleetLayout.RESERVED_NAMES.contains((String) r.get("tenant")))
        .map(r -> d(r, "cost_usd")).toList()).as("tenants in order of cost")
        .isSortedAccordingTo(Comparator.reverseOrder());
    for (Map<String, Object> r : tenantRows) {
      Map<String, Object> t = tenants.get((String) r.get("tenant"));
      for (String column : List.of("chip_hours", "carbon_location_kg", "cost_usd", "idle_cost_usd")) {
        close(r, column, d(t, column));
      }
    }

    Map<String, SampleOracle.Group> expected = oracle.groupBy(w -> tenantOf(w) + "|" + workloadOf(w));
    List<Map<String, Object>> workloadRows = bill.stream().filter(r -> !r.get("workload").equals("all")).toList();
    assertThat(workloadRows.stream().map(r -> r.get("tenant") + "|" + r.get("workload")))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(expected.keySet()).as("the day's fleet has training, inference, flex and a reservation")
        .anyMatch(k -> k.contains("|train-")).anyMatch(k -> k.contains("|serve-")).anyMatch(k -> k.contains("|flex-"))
        .anyMatch(k -> k.contains("|resv-"));
    for (Map<String, Object> r : workloadRows) {
      SampleOracle.Group g = expected.get(r.get("tenant") + "|" + r.get("workload"));
      close(r, "chip_hours", g.chipSeconds / 3600);
      close(r, "it_energy_kwh", g.itKwh);
      close(r, "facility_energy_kwh", g.facilityKwh);
      close(r, "carbon_location_kg", g.carbonLocationKg);
      close(r, "carbon_market_kg", g.carbonMarketKg);
      close(r, "cost_usd", g.costUsd);
      close(r, "idle_cost_usd", g.idleCostUsd);
      close(r, "idle_share", g.idleCostUsd / g.costUsd);
      close(r, "delivered_pflop", g.pflop);
      close(r, "usd_per_pflop", g.costUsd / g.pflop);
    }
  }

  /** A scenario's sums, built per site as the report's description says. */
  static final class Scenario {
    double pflop;
    double chipHours;
    double utilizationHours;
    double itKwh;
    double facilityKwh;
    double locationKg;
    double marketKg;
    double usd;

    void add(SampleOracle.Group site, double peakTflops, Double fixedUtilization, double idleW, double maxW,
        double usdPerHour) {
      double u = fixedUtilization != null ? fixedUtilization : site.utilizationSum / site.samples;
      double hours = site.pflop * 1000 / (peakTflops * u * 3600);
      double it = hours * (idleW + (maxW - idleW) * u) / 1000;
      pflop += site.pflop;
      chipHours += hours;
      utilizationHours += u * hours;
      itKwh += it;
      facilityKwh += it * site.facilityKwh / site.itKwh;
      locationKg += it * site.carbonLocationKg / site.itKwh;
      marketKg += it * site.carbonMarketKg / site.itKwh;
      usd += hours * usdPerHour;
    }
  }

  @Test
  void trainium3AndH100WhatIfRedoneFromTheSamplesAndTheConfig() {
    FleetConfig.Generation trn3 = cfg.generation("trn3");
    FleetConfig.GpuBaseline gpu = cfg.gpuBaseline();
    Map<String, SampleOracle.Group> sites = oracle.groupBy(w -> w.site);
    SampleOracle.Group all = oracle.groupBy(w -> "all").get("all");
    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    for (String s : List.of("trainium3", "h100 at reference utilization", "h100 at observed utilization")) {
      scenarios.put(s, new Scenario());
    }
    for (SampleOracle.Group site : sites.values()) {
      scenarios.get("trainium3").add(site, trn3.deliveredPeakTflops(), null, trn3.idlePowerW(), trn3.maxPowerW(),
          trn3.pricePerChipHourUsd());
      scenarios.get("h100 at reference utilization").add(site, gpu.peakTflops(), gpu.referenceUtilization(),
          H100_MAX_W * H100_IDLE_SHARE, H100_MAX_W, gpu.pricePerGpuHourUsd());
      scenarios.get("h100 at observed utilization").add(site, gpu.peakTflops(), null, H100_MAX_W * H100_IDLE_SHARE,
          H100_MAX_W, gpu.pricePerGpuHourUsd());
    }
    List<Map<String, Object>> out = CollectedRows.report(sql, "whatif-trainium3-h100").rows;
    Map<String, Map<String, Object>> observed = figures(out, "observed");
    close(observed.get("delivered_pflop"), "value", all.pflop);
    close(observed.get("utilization"), "value", all.utilizationSum / all.samples);
    close(observed.get("chip_hours"), "value", all.chipSeconds / 3600);
    close(observed.get("chips"), "value", all.chipSeconds / 3600 / HOURS);
    close(observed.get("it_energy_kwh"), "value", all.itKwh);
    close(observed.get("carbon_location_kg"), "value", all.carbonLocationKg);
    close(observed.get("cost_usd"), "value", all.costUsd);
    assertThat(d(observed.get("chips"), "value")).as("chips of the fleet reporting on average")
        .isLessThanOrEqualTo(layout.chips());
    for (Map.Entry<String, Scenario> e : scenarios.entrySet()) {
      Map<String, Map<String, Object>> f = figures(out, e.getKey());
      Scenario s = e.getValue();
      close(f.get("delivered_pflop"), "value", all.pflop);
      close(f.get("utilization"), "value", s.utilizationHours / s.chipHours);
      close(f.get("chip_hours"), "value", s.chipHours);
      close(f.get("chips"), "value", s.chipHours / HOURS);
      close(f.get("it_energy_kwh"), "value", s.itKwh);
      close(f.get("facility_energy_kwh"), "value", s.facilityKwh);
      close(f.get("carbon_location_kg"), "value", s.locationKg);
      close(f.get("carbon_market_kg"), "value", s.marketKg);
      close(f.get("cost_usd"), "value", s.usd);
      close(f.get("usd_per_pflop"), "value", s.usd / all.pflop);
      close(f.get("tflops_per_w"), "value", all.pflop / s.itKwh / 3600);
      close(f.get("cost_usd"), "vs_observed", s.usd / all.costUsd - 1);
      close(f.get("carbon_location_kg"), "vs_observed", s.locationKg / all.carbonLocationKg - 1);
    }
    // The H100 at its reference utilization is the price-performance baseline: the lake's own GPU $/PFLOP.
    close(figures(out, "h100 at reference utilization").get("cost_usd"), "value", all.pflop * gpu.usdPerPflop());
    Map<String, Object> lakeGpu = CollectedRows.query(sql, "SELECT min(gpu_reference_usd_per_pflop) AS lo, "
        + "max(gpu_reference_usd_per_pflop) AS hi FROM ultraserver_window").rows.get(0);
    close(lakeGpu, "lo", gpu.usdPerPflop());
    close(lakeGpu, "hi", gpu.usdPerPflop());
    assertThat(d(figures(out, "trainium3").get("chips"), "value")).as("Trainium3 needs fewer chips")
        .isLessThan(d(observed.get("chips"), "value"));
  }

  /** The flex UltraServers' (by the layout's placement) windows at the site's local night, per site and UTC day. */
  @Test
  void carbonShiftRedoneFromTheSamplesWithTheLayoutsFlexUltraServersAndTheSitesZones() {
    FleetConfig.Workloads wl = cfg.workloads();
    // Hourly intensity per site and UTC hour over every window of the site.
    Map<String, double[]> hourly = new HashMap<>(); // site|hourStart -> facility, location, market
    Map<String, double[]> flexibleHours = new TreeMap<>(); // site|day|hourStart -> facility, location, market, chip-s
    for (SampleOracle.Window w : oracle.windows.values()) {
      long hourStart = Math.floorDiv(w.start, 3_600_000L) * 3_600_000L;
      double[] h = hourly.computeIfAbsent(w.site + "|" + hourStart, k -> new double[3]);
      h[0] += w.facilityKwh;
      h[1] += w.carbonLocationKg;
      h[2] += w.carbonMarketKg;
      if (layout.placement(w.ultraserver) != Placement.FLEX) continue;
      int local = ZonedDateTime.ofInstant(Instant.ofEpochMilli(w.start), cfg.site(w.site).timezone()).getHour();
      if (local >= wl.flexDayStartHour() && local < wl.flexDayEndHour()) continue;
      String day = Instant.ofEpochMilli(w.start).toString().substring(0, 10);
      double[] f = flexibleHours.computeIfAbsent(w.site + "|" + day + "|" + hourStart, k -> new double[4]);
      f[0] += w.facilityKwh;
      f[1] += w.carbonLocationKg;
      f[2] += w.carbonMarketKg;
      f[3] += w.chipSeconds;
    }
    Map<String, double[]> expected = new TreeMap<>(); // site -> hours, chip-h, kWh, loc, loc shifted, mkt, mkt shifted
    Map<String, List<Map.Entry<String, double[]>>> bySiteDay = flexibleHours.entrySet().stream()
        .collect(Collectors.groupingBy(e -> e.getKey().substring(0, e.getKey().lastIndexOf('|')), TreeMap::new,
            Collectors.toList()));
    for (Map.Entry<String, List<Map.Entry<String, double[]>>> siteDay : bySiteDay.entrySet()) {
      String site = siteDay.getKey().split("\\|")[0];
      String day = siteDay.getKey().split("\\|")[1];
      List<double[]> cleanest = hourly.entrySet().stream()
          .filter(e -> e.getKey().startsWith(site + "|")
              && Instant.ofEpochMilli(Long.parseLong(e.getKey().split("\\|")[1])).toString().startsWith(day))
          // cleanest first; ties to 1e-6 g/kWh (the day curve is symmetric) to the earlier hour, as the report does
          .sorted(Comparator.comparingLong((Map.Entry<String, double[]> e) -> Math.round(e.getValue()[1] * 1e9
              / e.getValue()[0])).thenComparing(e -> Long.parseLong(e.getKey().split("\\|")[1])))
          .map(Map.Entry::getValue).toList();
      List<double[]> blocks = new ArrayList<>(siteDay.getValue().stream().map(Map.Entry::getValue).toList());
      blocks.sort(Comparator.comparingDouble((double[] b) -> b[0]).reversed());
      double[] x = expected.computeIfAbsent(site, k -> new double[7]);
      for (int k = 0; k < blocks.size(); k++) {
        double[] b = blocks.get(k);
        double[] to = cleanest.get(k);
        x[0] += 1;
        x[1] += b[3] / 3600;
        x[2] += b[0];
        x[3] += b[1];
        x[4] += b[0] * to[1] / to[0];
        x[5] += b[2];
        x[6] += b[0] * to[2] / to[0];
      }
    }
    double[] sum = new double[7];
    expected.values().forEach(x -> { for (int i = 0; i < 7; i++) sum[i] += x[i]; });
    expected.put("all", sum);
    assertThat(expected.keySet()).as("flex work at every site").contains("us-in", "us-pa", "us-ms");

    List<Map<String, Object>> results = CollectedRows.report(sql, "whatif-carbon-shift").rows.stream()
        .filter(r -> r.get("section").equals("result")).toList();
    assertThat(results.stream().map(r -> (String) r.get("scope")).distinct())
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      Map<String, Map<String, Object>> f = figures(results, e.getKey());
      double[] x = e.getValue();
      close(f.get("flexible_hours"), "value", x[0]);
      close(f.get("flexible_chip_hours"), "value", x[1]);
      close(f.get("flexible_facility_energy_kwh"), "value", x[2]);
      close(f.get("carbon_location_kg_as_run"), "value", x[3]);
      close(f.get("carbon_location_kg_shifted"), "value", x[4]);
      close(f.get("carbon_location_kg_saved"), "value", x[3] - x[4]);
      close(f.get("carbon_market_kg_as_run"), "value", x[5]);
      close(f.get("carbon_market_kg_shifted"), "value", x[6]);
      close(f.get("chip_cost_usd_saved"), "value", 0);
      // The N cleanest hours are never dirtier than the N the work ran in.
      assertThat(d(f.get("carbon_location_kg_saved"), "value")).as(e.getKey()).isGreaterThanOrEqualTo(0);
    }
    assertThat(sum[0]).as("a day has 12 night hours at each of three sites").isEqualTo(36);
  }

  @Test
  void reclaimIdleRedoneFromTheSamplesOfTheLayoutsReservedIdleUltraServers() {
    Map<String, SampleOracle.Group> expected = new TreeMap<>(oracle.groupBy(
        w -> layout.placement(w.ultraserver) == Placement.RESERVED_IDLE ? tenantOf(w) : "-"));
    expected.remove("-");
    assertThat(expected).as("the day's fleet holds a reservation").isNotEmpty();
    SampleOracle.Group all = new SampleOracle.Group();
    oracle.windows.values().stream().filter(w -> layout.placement(w.ultraserver) == Placement.RESERVED_IDLE)
        .forEach(all::add);
    expected.put("all", all);
    Map<String, SampleOracle.Group> tenants = oracle.groupBy(TenantReportsPipelineIT::tenantOf);
    SampleOracle.Group fleet = oracle.groupBy(w -> "all").get("all");
    tenants.put("all", fleet);

    List<Map<String, Object>> results = CollectedRows.report(sql, "whatif-reclaim-idle").rows.stream()
        .filter(r -> r.get("section").equals("result")).toList();
    assertThat(results.stream().map(r -> (String) r.get("scope")).distinct())
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, SampleOracle.Group> e : expected.entrySet()) {
      Map<String, Map<String, Object>> f = figures(results, e.getKey());
      SampleOracle.Group g = e.getValue();
      close(f.get("ultraservers"), "value", g.ultraservers.size());
      close(f.get("chips"), "value", g.chipSeconds / 3600 / HOURS);
      close(f.get("chip_hours"), "value", g.chipSeconds / 3600);
      close(f.get("idle_chip_hours"), "value", g.idleChipSeconds / 3600);
      close(f.get("cost_usd"), "value", g.costUsd);
      close(f.get("idle_cost_usd"), "value", g.idleCostUsd);
      close(f.get("share_of_tenant_cost"), "value", g.costUsd / tenants.get(e.getKey()).costUsd);
      close(f.get("share_of_fleet_idle_cost"), "value", g.idleCostUsd / fleet.idleCostUsd);
      close(f.get("it_energy_kwh"), "value", g.itKwh);
      close(f.get("idle_it_energy_kwh"), "value", g.idleItKwh);
      close(f.get("idle_facility_energy_kwh"), "value", g.idleFacilityKwh);
      close(f.get("idle_carbon_location_kg"), "value", g.idleCarbonLocationKg);
      close(f.get("idle_carbon_market_kg"), "value", g.idleCarbonMarketKg);
    }
  }

  private static Map<String, Map<String, Object>> figures(List<Map<String, Object>> rows, String scope) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    rows.stream().filter(r -> r.get("section").equals("result") && r.get("scope").equals(scope))
        .forEach(r -> out.put((String) r.get("figure"), r));
    assertThat(out).as("result rows of %s", scope).isNotEmpty();
    return out;
  }

  private static void close(Map<String, Object> row, String column, double expected) {
    assertThat(row).as("row for %s", column).isNotNull();
    assertThat(d(row, column)).as("%s of %s", column, row)
        .isCloseTo(expected, within(Math.abs(expected) * 1e-9 + 1e-9));
  }
}
