-- title: What if the same work ran on Trainium3, or on the H100 baseline: chips, energy, kgCO2e and $
-- needs: ultraserver_window
-- The compute the fleet delivered (delivered_pflop, at each generation's precision mix) done per site on other
-- chips: Trainium3 at the site's observed utilization; the H100 baseline at its reference utilization (the
-- price-performance convention) and at the observed utilization. Chips needed = chip-hours / the lake's hours (an
-- average, not a peak); IT energy from the linear power model idle + (max - idle) x utilization; facility energy
-- at the site's observed PUE; carbon at the site's observed kgCO2e per facility kWh (its grid intensity, location-
-- and market-based); cost at the chip-hour price. Long format: section 'result' rows (scope = scenario, figure,
-- value, vs_observed = value / observed - 1) and section 'assumption' rows (every factor, its value and source;
-- factor names are fleet config keys where the figure is one). Energy and carbon are modelled; embodied carbon,
-- host and network power are left out.
WITH factors(name, value, unit, source) AS (
  VALUES
    ('generations.trn3.peak_tflops', 671.0, 'TFLOPS dense BF16', 'AWS Neuron docs (Trainium3)'),
    ('generations.trn3.peak_fp8_tflops', 2517.0, 'TFLOPS dense MXFP8', 'AWS Neuron docs (Trainium3)'),
    ('generations.trn3.fp8_share', 1.0, 'share of the work in FP8',
      'fleet defaults: Trainium3 work runs in MXFP8, the format its speed-up comes from (assumption)'),
    ('generations.trn3.idle_power_w', 405.0, 'W', 'assumption: 30% of max power (fleet defaults)'),
    ('generations.trn3.max_power_w', 1350.0, 'W', 'derived from AWS''s 1.4x TFLOPS/W claim over trn2'),
    ('generations.trn3.price_per_chip_hour_usd', 4.47, 'USD per chip-hour', 'assumption (2x trn2; no public price)'),
    ('gpu_baseline.peak_tflops', 989.0, 'TFLOPS dense BF16', 'NVIDIA datasheet (H100 SXM)'),
    ('gpu_baseline.price_per_gpu_hour_usd', 6.88, 'USD per GPU-hour',
      'p5.48xlarge on-demand $55.04/h (AWS, June 2025)'),
    ('gpu_baseline.reference_utilization', 0.40, 'utilization 0..1',
      'typical model-FLOPs utilization of large training runs'),
    ('h100.max_power_w', 700.0, 'W', 'NVIDIA H100 SXM datasheet: 700 W TDP (docs/design.md S5); not in the fleet config'),
    ('h100.idle_power_share', 0.30, 'of max power',
      'assumption: the idle share the fleet config takes for every Trainium (idle_power_w = 30% of max_power_w)')
),
f AS (
  SELECT
    max(value) FILTER (WHERE name = 'generations.trn3.peak_tflops') AS trn3_bf16,
    max(value) FILTER (WHERE name = 'generations.trn3.peak_fp8_tflops') AS trn3_fp8,
    max(value) FILTER (WHERE name = 'generations.trn3.fp8_share') AS trn3_fp8_share,
    max(value) FILTER (WHERE name = 'generations.trn3.idle_power_w') AS trn3_idle_w,
    max(value) FILTER (WHERE name = 'generations.trn3.max_power_w') AS trn3_max_w,
    max(value) FILTER (WHERE name = 'generations.trn3.price_per_chip_hour_usd') AS trn3_usd,
    max(value) FILTER (WHERE name = 'gpu_baseline.peak_tflops') AS gpu_tflops,
    max(value) FILTER (WHERE name = 'gpu_baseline.price_per_gpu_hour_usd') AS gpu_usd,
    max(value) FILTER (WHERE name = 'gpu_baseline.reference_utilization') AS gpu_utilization,
    max(value) FILTER (WHERE name = 'h100.max_power_w') AS gpu_max_w,
    max(value) FILTER (WHERE name = 'h100.idle_power_share') AS gpu_idle_share
  FROM factors
),
period AS (
  SELECT date_diff('millisecond', min(window_start), max(window_end)) / 3.6e6 AS hours FROM ultraserver_window
),
per_site AS (
  SELECT site, sum(samples) AS samples, sum(utilization_sum) AS utilization_sum, sum(chip_seconds) / 3600 AS chip_hours,
    sum(delivered_pflop) AS pflop, sum(it_energy_kwh) AS it_kwh, sum(facility_energy_kwh) AS facility_kwh,
    sum(carbon_location_kg) AS location_kg, sum(carbon_market_kg) AS market_kg, sum(cost_usd) AS cost_usd
  FROM ultraserver_window
  WHERE samples > 0
  GROUP BY site
),
-- The chips the work moves to: delivered peak (TFLOPS), power model, price; a NULL utilization means the site's own.
chips AS (
  SELECT 'trainium3' AS scenario, 2 AS ord, (1 - trn3_fp8_share) * trn3_bf16 + trn3_fp8_share * trn3_fp8 AS peak_tflops,
    trn3_idle_w AS idle_w, trn3_max_w AS max_w, trn3_usd AS usd_per_chip_hour, NULL::DOUBLE AS utilization FROM f
  UNION ALL
  SELECT 'h100 at reference utilization', 3, gpu_tflops, gpu_max_w * gpu_idle_share, gpu_max_w, gpu_usd, gpu_utilization
  FROM f
  UNION ALL
  SELECT 'h100 at observed utilization', 4, gpu_tflops, gpu_max_w * gpu_idle_share, gpu_max_w, gpu_usd, NULL FROM f
),
moved AS (
  SELECT c.scenario, c.ord, s.*, coalesce(c.utilization, s.utilization_sum / s.samples) AS u,
    s.pflop * 1000 / (c.peak_tflops * coalesce(c.utilization, s.utilization_sum / s.samples) * 3600) AS new_chip_hours,
    c.idle_w, c.max_w, c.usd_per_chip_hour
  FROM chips c CROSS JOIN per_site s
),
per_scenario AS (
  SELECT 'observed' AS scenario, 1 AS ord, sum(pflop) AS delivered_pflop, sum(utilization_sum) / sum(samples) AS utilization,
    sum(chip_hours) AS chip_hours, sum(it_kwh) AS it_energy_kwh, sum(facility_kwh) AS facility_energy_kwh,
    sum(location_kg) AS carbon_location_kg, sum(market_kg) AS carbon_market_kg, sum(cost_usd) AS cost_usd
  FROM per_site
  UNION ALL
  SELECT scenario, ord, sum(pflop), sum(u * new_chip_hours) / sum(new_chip_hours), sum(new_chip_hours),
    sum(new_chip_hours * (idle_w + (max_w - idle_w) * u) / 1000),
    sum(new_chip_hours * (idle_w + (max_w - idle_w) * u) / 1000 * facility_kwh / it_kwh),
    sum(new_chip_hours * (idle_w + (max_w - idle_w) * u) / 1000 * location_kg / it_kwh),
    sum(new_chip_hours * (idle_w + (max_w - idle_w) * u) / 1000 * market_kg / it_kwh),
    sum(new_chip_hours * usd_per_chip_hour)
  FROM moved
  GROUP BY scenario, ord
),
figures AS (
  SELECT p.scenario, p.ord, unnest([
    {'figure': 'delivered_pflop', 'value': delivered_pflop, 'unit': 'PFLOP', 'n': 1},
    {'figure': 'utilization', 'value': utilization, 'unit': 'chip-time weighted, 0..1', 'n': 2},
    {'figure': 'chips', 'value': chip_hours / (SELECT hours FROM period), 'unit': 'chips, average over the period', 'n': 3},
    {'figure': 'chip_hours', 'value': chip_hours, 'unit': 'chip-hours', 'n': 4},
    {'figure': 'it_energy_kwh', 'value': it_energy_kwh, 'unit': 'kWh (modelled)', 'n': 5},
    {'figure': 'facility_energy_kwh', 'value': facility_energy_kwh, 'unit': 'kWh (modelled)', 'n': 6},
    {'figure': 'carbon_location_kg', 'value': carbon_location_kg, 'unit': 'kgCO2e location-based (modelled)', 'n': 7},
    {'figure': 'carbon_market_kg', 'value': carbon_market_kg, 'unit': 'kgCO2e market-based (modelled)', 'n': 8},
    {'figure': 'cost_usd', 'value': cost_usd, 'unit': 'USD', 'n': 9},
    {'figure': 'usd_per_pflop', 'value': cost_usd / nullif(delivered_pflop, 0), 'unit': 'USD per PFLOP', 'n': 10},
    {'figure': 'tflops_per_w', 'value': delivered_pflop / nullif(it_energy_kwh, 0) / 3600, 'unit': 'TFLOPS per W (IT)',
      'n': 11}
  ]) AS x
  FROM per_scenario p
),
results AS (
  SELECT 'result' AS section, scenario AS scope, x.figure AS figure, x.value AS value, x.unit AS unit, ord, x.n AS n
  FROM figures
),
out AS (
  SELECT r.section, r.scope, r.figure, r.value, r.value / nullif(o.value, 0) - 1 AS vs_observed, r.unit,
    CASE r.scope
      WHEN 'observed' THEN 'the lake: every generation as it ran'
      WHEN 'trainium3' THEN 'each site''s PFLOP at its observed utilization on Trainium3'
      WHEN 'h100 at reference utilization' THEN 'each site''s PFLOP on the H100 at gpu_baseline.reference_utilization'
      ELSE 'each site''s PFLOP on the H100 at the site''s observed utilization'
    END AS note,
    0 AS k1, r.ord AS k2, r.n AS k3
  FROM results r
  JOIN results o ON o.scope = 'observed' AND o.figure = r.figure
  UNION ALL
  SELECT 'assumption', 'factors', name, value, NULL, unit, source, 1, 0, 0 FROM factors
  UNION ALL
  SELECT 'assumption', 'method', m.figure, NULL, NULL, NULL, m.note, 2, 0, m.n FROM (VALUES
    (1, 'precision', 'delivered PFLOP count at each generation''s precision mix (Trainium3 MXFP8, Trainium1/2 BF16); '
      || 'the H100 is counted at its dense BF16 peak, as gpu_baseline is: H100 FP8 work would need about half its chips'),
    (2, 'carbon', 'each site''s observed PUE (facility / IT kWh) and kgCO2e per facility kWh, location- and '
      || 'market-based: the moved work keeps its site and time profile'),
    (3, 'chips', 'chip-hours / hours of the lake (first window start to last window end): chips busy on average'),
    (4, 'left out', 'embodied carbon, host and network power, the H100 FP8 rate, memory-bound slow-downs')
  ) AS m(n, figure, note)
)
SELECT section, scope, figure, value, vs_observed, unit, note
FROM out
ORDER BY k1, k2, k3, figure
