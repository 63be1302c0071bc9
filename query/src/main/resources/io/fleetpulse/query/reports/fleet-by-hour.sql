-- title: The fleet through the day, hour by hour (UTC)
-- needs: ultraserver_window
-- Fleet-wide per UTC hour: chips reporting (per window, averaged), utilization, power per chip, energy, TFLOPS
-- per watt, $ per PFLOP, renewable share and carbon per PFLOP on both bases. Modelled power, as everywhere.
-- Grouped on the table's date/hour partitions (the UTC hour of window_start).
WITH per_window AS (
  SELECT
    date, hour, window_start,
    sum(chips_reporting) AS chips_reporting,
    sum(samples) AS samples,
    sum(utilization_sum) AS utilization_sum,
    sum(power_sum_w) AS power_sum_w,
    sum(it_energy_kwh) AS it_energy_kwh,
    sum(facility_energy_kwh) AS facility_energy_kwh,
    sum(residual_facility_energy_kwh) AS residual_facility_energy_kwh,
    sum(delivered_pflop) AS delivered_pflop,
    sum(cost_usd) AS cost_usd,
    sum(carbon_location_kg) AS carbon_location_kg,
    sum(carbon_market_kg) AS carbon_market_kg
  FROM ultraserver_window
  WHERE samples > 0
  GROUP BY date, hour, window_start
)
SELECT
  CAST(date + to_hours(hour) AS TIMESTAMPTZ) AS hour_start,
  avg(chips_reporting) AS chips_reporting,
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
FROM per_window
GROUP BY date, hour
ORDER BY date, hour
