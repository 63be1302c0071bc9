-- title: Idle waste per site and generation, in kWh, $ and kgCO2e
-- needs: ultraserver_window
-- grain: hour
-- What chips cost while they did no work (utilization below 0.05): IT and facility energy, chip-hours and
-- their price (idle chips cost the same per hour), and the carbon of that energy on both bases. The 'all' row
-- totals the fleet. Idle samples share their window's PUE, grid factor and renewable share (one site, one hour),
-- so scaling the window's ratios by the idle energy is exact. Energy and carbon are modelled.
WITH per_group AS (
  SELECT
    site,
    generation,
    sum(idle_energy_kwh) AS idle_it_energy_kwh,
    sum(idle_energy_kwh * facility_energy_kwh / nullif(it_energy_kwh, 0)) AS idle_facility_energy_kwh,
    sum(it_energy_kwh) AS it_energy_kwh,
    sum(chip_seconds * idle_samples / samples) / 3600 AS idle_chip_hours,
    sum(cost_usd * idle_samples / samples) AS idle_cost_usd,
    sum(idle_energy_kwh * carbon_location_kg / nullif(it_energy_kwh, 0)) AS idle_carbon_location_kg,
    sum(idle_energy_kwh * carbon_market_kg / nullif(it_energy_kwh, 0)) AS idle_carbon_market_kg
  FROM ultraserver_window
  WHERE samples > 0
  GROUP BY site, generation
),
with_total AS (
  SELECT *, 0 AS is_total FROM per_group
  UNION ALL
  SELECT 'all', 'all', sum(idle_it_energy_kwh), sum(idle_facility_energy_kwh), sum(it_energy_kwh),
         sum(idle_chip_hours), sum(idle_cost_usd), sum(idle_carbon_location_kg), sum(idle_carbon_market_kg), 1
  FROM per_group
)
SELECT
  site,
  generation,
  idle_it_energy_kwh,
  idle_facility_energy_kwh,
  idle_it_energy_kwh / nullif(it_energy_kwh, 0) AS idle_share_of_it_energy,
  idle_chip_hours,
  idle_cost_usd,
  idle_carbon_location_kg,
  idle_carbon_market_kg
FROM with_total
ORDER BY is_total, idle_cost_usd DESC, site, generation
