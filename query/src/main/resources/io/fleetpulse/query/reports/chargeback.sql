-- title: Chargeback per tenant and workload: chip-hours, energy, kgCO2e, $, idle $ and $ per PFLOP
-- needs: workload_window
-- grain: hour
-- Over the lake's whole period, per tenant and each of its workloads (training job train-*, inference service
-- serve-*, flex job flex-*, reservation resv-*): chip-hours, IT and facility energy, carbon location- and
-- market-based, cost, the cost of idle chip time (utilization below 0.05) and its share of the cost, compute
-- delivered and $ per PFLOP, and the share of the fleet's cost. A row with workload 'all' sums each tenant; tenants
-- come in order of cost, then 'unplaced' (capacity nobody holds) and 'unknown' (labels the fleet config does not
-- know), then the fleet 'all' row, which equals fleet_window's sums (every UltraServer window is attributed to
-- exactly one workload). Energy and carbon are modelled.
WITH per_workload AS (
  SELECT
    tenant,
    workload,
    sum(chip_seconds) / 3600 AS chip_hours,
    sum(it_energy_kwh) AS it_energy_kwh,
    sum(facility_energy_kwh) AS facility_energy_kwh,
    sum(carbon_location_kg) AS carbon_location_kg,
    sum(carbon_market_kg) AS carbon_market_kg,
    sum(cost_usd) AS cost_usd,
    sum(idle_cost_usd) AS idle_cost_usd,
    sum(delivered_pflop) AS delivered_pflop,
    min(window_start) AS period_start,
    max(window_end) AS period_end
  FROM workload_window
  GROUP BY tenant, workload
),
per_tenant AS (
  SELECT tenant, 'all' AS workload, sum(chip_hours) AS chip_hours, sum(it_energy_kwh) AS it_energy_kwh,
    sum(facility_energy_kwh) AS facility_energy_kwh, sum(carbon_location_kg) AS carbon_location_kg,
    sum(carbon_market_kg) AS carbon_market_kg, sum(cost_usd) AS cost_usd, sum(idle_cost_usd) AS idle_cost_usd,
    sum(delivered_pflop) AS delivered_pflop, min(period_start) AS period_start, max(period_end) AS period_end
  FROM per_workload
  GROUP BY tenant
),
fleet AS (
  SELECT 'all' AS tenant, 'all' AS workload, sum(chip_hours) AS chip_hours, sum(it_energy_kwh) AS it_energy_kwh,
    sum(facility_energy_kwh) AS facility_energy_kwh, sum(carbon_location_kg) AS carbon_location_kg,
    sum(carbon_market_kg) AS carbon_market_kg, sum(cost_usd) AS cost_usd, sum(idle_cost_usd) AS idle_cost_usd,
    sum(delivered_pflop) AS delivered_pflop, min(period_start) AS period_start, max(period_end) AS period_end
  FROM per_workload
),
tenant_order AS (
  SELECT tenant,
    row_number() OVER (ORDER BY CASE tenant WHEN 'unplaced' THEN 1 WHEN 'unknown' THEN 2 ELSE 0 END,
      cost_usd DESC, tenant) AS tenant_rank
  FROM per_tenant
),
all_rows AS (
  SELECT *, 1 AS row_level FROM per_workload
  UNION ALL
  SELECT *, 0 FROM per_tenant
  UNION ALL
  SELECT *, 2 FROM fleet
)
SELECT
  r.tenant,
  r.workload,
  CASE
    WHEN r.workload = 'all' THEN 'all'
    WHEN r.workload LIKE 'train-%' THEN 'training'
    WHEN r.workload LIKE 'serve-%' THEN 'inference'
    WHEN r.workload LIKE 'flex-%' THEN 'flex'
    WHEN r.workload LIKE 'resv-%' THEN 'reservation'
    ELSE r.workload
  END AS workload_kind,
  r.chip_hours,
  r.it_energy_kwh,
  r.facility_energy_kwh,
  r.carbon_location_kg,
  r.carbon_market_kg,
  r.cost_usd,
  r.idle_cost_usd,
  r.idle_cost_usd / nullif(r.cost_usd, 0) AS idle_share,
  r.cost_usd - r.idle_cost_usd AS busy_cost_usd,
  r.delivered_pflop,
  r.cost_usd / nullif(r.delivered_pflop, 0) AS usd_per_pflop,
  r.cost_usd / nullif((SELECT cost_usd FROM fleet), 0) AS share_of_fleet_cost,
  r.period_start,
  r.period_end
FROM all_rows r
LEFT JOIN tenant_order o USING (tenant)
ORDER BY r.row_level = 2, o.tenant_rank, r.row_level, r.cost_usd DESC, r.workload
