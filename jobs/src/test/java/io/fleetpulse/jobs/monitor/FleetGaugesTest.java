package io.fleetpulse.jobs.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.schema.AggregationLevel;
import io.fleetpulse.schema.WindowMetrics;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class FleetGaugesTest {

  /** A metric group that records every gauge under its path: "site=us-in/power_watts", "fleet/power_watts". */
  static final class Recording extends UnregisteredMetricsGroup {
    final Map<String, Gauge<?>> gauges;
    final String path;

    Recording(Map<String, Gauge<?>> gauges, String path) {
      this.gauges = gauges;
      this.path = path;
    }

    @Override
    public MetricGroup addGroup(String name) {
      return new Recording(gauges, path + name + "/");
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new Recording(gauges, path + key + "=" + value + "/");
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      gauges.put(path + name, gauge);
      return gauge;
    }

    double read(String name) {
      return ((Number) gauges.get(name).getValue()).doubleValue();
    }
  }

  static WindowMetrics window(AggregationLevel level, String site, String generation, String start, double kwh) {
    WindowMetrics m = new WindowMetrics();
    m.setLevel(level);
    m.setSite(site);
    m.setGeneration(generation);
    m.setWindowStart(Instant.parse(start));
    m.setWindowEnd(Instant.parse(start).plusSeconds(60));
    m.setItEnergyKwh(kwh);
    m.setFacilityEnergyKwh(kwh * 1.15);
    m.setUtilizationAvg(0.5);
    m.setSamples(600);
    m.setIdleSamples(150);
    m.setCostUsd(12);
    m.setChipsReporting(100);
    m.setCarbonLocationKg(3);
    m.setCarbonMarketKg(1);
    m.setCarbonLocationGPerPflop(42);
    m.setUsdPerPflop(0.25);
    return m;
  }

  @Test
  void eachGroupGetsItsGaugesWithItsFirstWindowAndKeepsTheLatest() {
    Recording metrics = new Recording(new TreeMap<>(), "");
    FleetGauges.Writer writer = new FleetGauges.Writer(metrics);
    assertThat(metrics.gauges).isEmpty();

    writer.write(window(AggregationLevel.SITE, "us-in", null, "2026-11-25T12:01:00Z", 10), null);
    assertThat(metrics.gauges.keySet()).allMatch(k -> k.startsWith("site=us-in/"))
        .hasSize(WindowGauges.GAUGES.size());
    // 10 kWh in 60 s: 600 kW on average.
    assertThat(metrics.read("site=us-in/power_watts")).isEqualTo(600_000.0);
    assertThat(metrics.read("site=us-in/window_end_seconds"))
        .isEqualTo(Instant.parse("2026-11-25T12:02:00Z").getEpochSecond());
    // $12 for the window, a quarter of its samples idle: $3 a minute, $180 an hour.
    assertThat(metrics.read("site=us-in/idle_cost_usd_per_hour")).isEqualTo(180.0);
    assertThat(metrics.read("site=us-in/cost_usd_per_hour")).isEqualTo(720.0);
    assertThat(metrics.read("site=us-in/facility_energy_kwh")).isEqualTo(11.5);
    assertThat(metrics.read("site=us-in/carbon_location_g_per_pflop")).isEqualTo(42.0);

    // A newer window replaces it; an older one, re-emitted late, does not.
    writer.write(window(AggregationLevel.SITE, "us-in", null, "2026-11-25T12:02:00Z", 20), null);
    writer.write(window(AggregationLevel.SITE, "us-in", null, "2026-11-25T12:01:00Z", 30), null);
    assertThat(metrics.read("site=us-in/power_watts")).isEqualTo(1_200_000.0);
    // The same window again (more samples within the allowed lateness) replaces it.
    writer.write(window(AggregationLevel.SITE, "us-in", null, "2026-11-25T12:02:00Z", 21), null);
    assertThat(metrics.read("site=us-in/power_watts")).isEqualTo(1_260_000.0);

    writer.write(window(AggregationLevel.GENERATION, null, "trn2", "2026-11-25T12:02:00Z", 5), null);
    writer.write(window(AggregationLevel.FLEET, null, null, "2026-11-25T12:02:00Z", 60), null);
    writer.write(window(AggregationLevel.ULTRASERVER, "us-pa", "trn2", "2026-11-25T12:02:00Z", 1), null);
    assertThat(metrics.read("generation=trn2/power_watts")).isEqualTo(300_000.0);
    assertThat(metrics.read("fleet/power_watts")).isEqualTo(3_600_000.0);
    assertThat(metrics.gauges.keySet()).noneMatch(k -> k.contains("us-pa"))
        .hasSize(3 * WindowGauges.GAUGES.size());
    assertThat(writer.latest(AggregationLevel.FLEET, null).itEnergyKwh()).isEqualTo(60.0);
  }

  @Test
  void aWindowWithoutSamplesHasNoIdleCostRatherThanNaN() {
    WindowMetrics empty = window(AggregationLevel.FLEET, null, null, "2026-11-25T12:00:00Z", 0);
    empty.setSamples(0);
    empty.setIdleSamples(0);
    assertThat(WindowGauges.of(empty).idleCostUsdPerHour()).isZero();
    assertThat(WindowGauges.of(empty).powerWatts()).isZero();
  }
}
