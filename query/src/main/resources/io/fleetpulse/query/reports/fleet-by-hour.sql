-- title: The fleet through the day, hour by hour (UTC)
-- needs: ultraserver_window
-- Fleet-wide per UTC hour: chips reporting (per window, averaged), utilization, power per chip, energy, TFLOPS
-- per watt, $ per PFLOP, renewable share and carbon per PFLOP on both bases. Modelled power, as everywhere.
SELECT
  date_trunc('hour', window_start) AS hour_start,
  sum(chips_reporting) / count(DISTINCT window_start) AS chips_reporting,
  sum(utilization_sum) / sum(samples) AS utilization,
  sum(power_sum_w) / sum(samples) AS power_avg_w,
  sum(it_energy_kwh) AS it_energy_kwh,
  sum(facility_energy_kwh) AS facility_energy_kwh,
  sum(delivered_pflop) AS delivered_pflop,
  sum(delivered_pflop) / nullif(sum(it_energy_kwh), 0) / 3600 AS efficiency_tflops_per_w,
  sum(cost_usd) / nullif(sum(delivered_pflop), 0) AS usd_per_pflop,
  1 - sum(residual_facility_energy_kwh) / nullif(sum(facility_energy_kwh), 0) AS renewable_share,
  sum(carbon_location_kg) * 1000 / nullif(sum(delivered_pflop), 0) AS carbon_location_g_per_pflop,
  sum(carbon_market_kg) * 1000 / nullif(sum(delivered_pflop), 0) AS carbon_market_g_per_pflop
FROM ultraserver_window
WHERE samples > 0
GROUP BY hour_start
ORDER BY hour_start
