-- title: Idle waste per site and generation, in kWh, $ and kgCO2e
-- needs: ultraserver_window
-- What chips cost while they did no work (utilization below 0.05): IT and facility energy, chip-hours and
-- their price (idle chips cost the same per hour), and the carbon of that energy on both bases. The 'all' row
-- totals the fleet. Idle samples share their window's PUE, grid factor and renewable share (one site, one hour),
-- so scaling the window's ratios by the idle energy is exact. Energy and carbon are modelled.
SELECT
  coalesce(site, 'all') AS site,
  coalesce(generation, 'all') AS generation,
  sum(idle_energy_kwh) AS idle_it_energy_kwh,
  sum(idle_energy_kwh * facility_energy_kwh / nullif(it_energy_kwh, 0)) AS idle_facility_energy_kwh,
  sum(idle_energy_kwh) / nullif(sum(it_energy_kwh), 0) AS idle_share_of_it_energy,
  sum(chip_seconds * idle_samples / samples) / 3600 AS idle_chip_hours,
  sum(cost_usd * idle_samples / samples) AS idle_cost_usd,
  sum(idle_energy_kwh * carbon_location_kg / nullif(it_energy_kwh, 0)) AS idle_carbon_location_kg,
  sum(idle_energy_kwh * carbon_market_kg / nullif(it_energy_kwh, 0)) AS idle_carbon_market_kg
FROM ultraserver_window
WHERE samples > 0
GROUP BY GROUPING SETS ((site, generation), ())
ORDER BY grouping(site, generation), idle_cost_usd DESC, site, generation
