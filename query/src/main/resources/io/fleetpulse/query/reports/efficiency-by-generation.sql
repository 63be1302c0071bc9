-- title: Efficiency by chip generation
-- needs: ultraserver_window
-- grain: hour
-- Per generation: fleet size seen, chip-hours, average utilization and power, energy, compute delivered,
-- TFLOPS per watt (delivered FLOP / IT energy), $ and gCO2e per PFLOP, and price-performance vs the GPU
-- baseline. Power and everything derived from it are modelled.
SELECT
  generation,
  count(DISTINCT ultraserver_id) AS ultraservers,
  sum(chip_seconds) / 3600 AS chip_hours,
  sum(utilization_sum) / sum(samples) AS utilization,
  sum(power_sum_w) / sum(samples) AS power_avg_w,
  sum(it_energy_kwh) AS it_energy_kwh,
  sum(delivered_pflop) AS delivered_pflop,
  sum(delivered_pflop) / nullif(sum(it_energy_kwh), 0) / 3600 AS efficiency_tflops_per_w,
  sum(cost_usd) / nullif(sum(delivered_pflop), 0) AS usd_per_pflop,
  sum(carbon_location_kg) * 1000 / nullif(sum(delivered_pflop), 0) AS carbon_location_g_per_pflop,
  sum(carbon_market_kg) * 1000 / nullif(sum(delivered_pflop), 0) AS carbon_market_g_per_pflop,
  sum(gpu_reference_usd_per_pflop * delivered_pflop) / nullif(sum(cost_usd), 0) - 1 AS price_perf_vs_gpu
FROM ultraserver_window
WHERE samples > 0
GROUP BY generation
ORDER BY generation
