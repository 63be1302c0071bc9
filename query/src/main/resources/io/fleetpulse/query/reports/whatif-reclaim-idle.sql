-- title: What if reserved-but-idle capacity were released: chip-hours, $, idle energy and kgCO2e freed, per tenant
-- needs: ultraserver_window
-- Reserved-but-idle capacity = the tenants' reservations (resv-* workloads: paid for, idle) and unplaced capacity
-- (nobody holds it; the operator's idle pool, under tenant 'unplaced'). Per tenant and the fleet ('all'): what
-- releasing it frees over the lake's period: chips (average), chip-hours and their cost, of which idle (utilization
-- below 0.05), the idle IT and facility energy and its carbon on both bases (each window's own PUE, grid factor and
-- renewable share, so scaling by the idle energy is exact), and the share of the tenant's cost and of the fleet's
-- idle cost. Assumes released chips are powered down or given to work that would otherwise need other chips.
-- Long format: 'result' rows (scope = tenant), 'assumption' rows.
WITH period AS (
  SELECT date_diff('millisecond', min(window_start), max(window_end)) / 3.6e6 AS hours,
    sum(cost_usd) AS fleet_cost_usd, sum(idle_cost_usd) AS fleet_idle_cost_usd
  FROM ultraserver_window
  WHERE samples > 0
),
tenant_cost AS (
  SELECT tenant, sum(cost_usd) AS cost_usd FROM ultraserver_window GROUP BY tenant
),
reclaimable AS (
  SELECT
    tenant,
    count(DISTINCT workload) AS workloads,
    string_agg(DISTINCT workload, ', ' ORDER BY workload) AS workload_names,
    count(DISTINCT ultraserver_id) AS ultraservers,
    sum(chip_seconds) / 3600 AS chip_hours,
    sum(chip_seconds * idle_samples / samples) / 3600 AS idle_chip_hours,
    sum(cost_usd) AS cost_usd,
    sum(idle_cost_usd) AS idle_cost_usd,
    sum(it_energy_kwh) AS it_energy_kwh,
    sum(idle_energy_kwh) AS idle_it_energy_kwh,
    sum(idle_energy_kwh * facility_energy_kwh / nullif(it_energy_kwh, 0)) AS idle_facility_energy_kwh,
    sum(idle_energy_kwh * carbon_location_kg / nullif(it_energy_kwh, 0)) AS idle_carbon_location_kg,
    sum(idle_energy_kwh * carbon_market_kg / nullif(it_energy_kwh, 0)) AS idle_carbon_market_kg
  FROM ultraserver_window
  WHERE samples > 0 AND (workload LIKE 'resv-%' OR workload = 'unplaced')
  GROUP BY tenant
),
with_total AS (
  SELECT r.*, t.cost_usd AS tenant_cost_usd, 0 AS k1 FROM reclaimable r JOIN tenant_cost t USING (tenant)
  UNION ALL
  SELECT 'all', sum(workloads), NULL, sum(ultraservers), sum(chip_hours), sum(idle_chip_hours), sum(cost_usd),
    sum(idle_cost_usd), sum(it_energy_kwh), sum(idle_it_energy_kwh), sum(idle_facility_energy_kwh),
    sum(idle_carbon_location_kg), sum(idle_carbon_market_kg), (SELECT fleet_cost_usd FROM period), 1
  FROM reclaimable
),
figures AS (
  SELECT tenant, k1, cost_usd, workload_names, unnest([
    {'figure': 'ultraservers', 'value': ultraservers, 'unit': 'UltraServers', 'n': 1},
    {'figure': 'chips', 'value': chip_hours / (SELECT hours FROM period), 'unit': 'chips, average over the period',
      'n': 2},
    {'figure': 'chip_hours', 'value': chip_hours, 'unit': 'chip-hours', 'n': 3},
    {'figure': 'idle_chip_hours', 'value': idle_chip_hours, 'unit': 'chip-hours under 0.05 utilization', 'n': 4},
    {'figure': 'cost_usd', 'value': cost_usd, 'unit': 'USD', 'n': 5},
    {'figure': 'idle_cost_usd', 'value': idle_cost_usd, 'unit': 'USD', 'n': 6},
    {'figure': 'share_of_tenant_cost', 'value': cost_usd / nullif(tenant_cost_usd, 0),
      'unit': 'of the tenant''s cost (all: of the fleet''s)', 'n': 7},
    {'figure': 'share_of_fleet_idle_cost', 'value': idle_cost_usd / nullif((SELECT fleet_idle_cost_usd FROM period), 0),
      'unit': 'of the fleet''s idle cost', 'n': 8},
    {'figure': 'it_energy_kwh', 'value': it_energy_kwh, 'unit': 'kWh (modelled)', 'n': 9},
    {'figure': 'idle_it_energy_kwh', 'value': idle_it_energy_kwh, 'unit': 'kWh (modelled)', 'n': 10},
    {'figure': 'idle_facility_energy_kwh', 'value': idle_facility_energy_kwh, 'unit': 'kWh (modelled)', 'n': 11},
    {'figure': 'idle_carbon_location_kg', 'value': idle_carbon_location_kg, 'unit': 'kgCO2e location-based', 'n': 12},
    {'figure': 'idle_carbon_market_kg', 'value': idle_carbon_market_kg, 'unit': 'kgCO2e market-based', 'n': 13}
  ]) AS x
  FROM with_total
),
out AS (
  SELECT 'result' AS section, tenant AS scope, x.figure AS figure, x.value AS value, x.unit AS unit,
    CASE WHEN x.n = 1 THEN workload_names END AS note, 0 AS k0, k1, -cost_usd AS k2, tenant AS k3, x.n AS k4
  FROM figures
  UNION ALL
  SELECT 'assumption', 'method', m.figure, m.value, m.unit, m.note, 1, 0, 0, '', m.n FROM (VALUES
    (1, 'reclaimable', NULL, NULL, 'resv-* workloads (a tenant''s reservation) and unplaced capacity; the '
      || 'windows attributed to them (an UltraServer window goes to the workload most of its samples carry)'),
    (2, 'idle threshold', 0.05, 'utilization', 'a sample below it is idle (the job''s idle_samples, idle_energy_kwh)'),
    (3, 'released', NULL, NULL, 'released chips stop costing the tenant and are powered down or given to work that '
      || 'would otherwise need other chips: their chip-hours, cost, idle energy and its carbon are freed'),
    (4, 'carbon', NULL, NULL, 'idle energy at its window''s own PUE, grid factor and renewable share (one site, one '
      || 'hour): exact')
  ) AS m(n, figure, value, unit, note)
)
SELECT section, scope, figure, value, unit, note FROM out ORDER BY k0, k1, k2, k3, k4
