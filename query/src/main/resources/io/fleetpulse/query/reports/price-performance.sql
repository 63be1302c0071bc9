-- title: Price-performance vs the GPU baseline, by utilization band
-- needs: ultraserver_window
-- Each UltraServer-minute falls in a 10% band of its average utilization. Per generation and band: chip-hours,
-- cost, compute delivered, $ per PFLOP, and price_perf_vs_gpu = what the GPU baseline (at its reference
-- utilization) would charge for the same PFLOP / what it cost here - 1: 0.35 means 35% more compute per dollar.
-- The band where it crosses 0.30-0.40 is where the claimed edge over GPUs appears.
WITH banded AS (
  SELECT *, least(floor(utilization_sum / samples * 10), 9)::INTEGER AS band
  FROM ultraserver_window
  WHERE samples > 0
)
SELECT
  generation,
  (band * 10)::VARCHAR || '-' || (band * 10 + 10)::VARCHAR || '%' AS utilization_band,
  band / 10 AS band_from,
  (band + 1) / 10 AS band_to,
  count(*) AS ultraserver_windows,
  sum(chip_seconds) / 3600 AS chip_hours,
  sum(utilization_sum) / sum(samples) AS utilization,
  sum(cost_usd) AS cost_usd,
  sum(delivered_pflop) AS delivered_pflop,
  sum(cost_usd) / nullif(sum(delivered_pflop), 0) AS usd_per_pflop,
  sum(gpu_reference_usd_per_pflop * delivered_pflop) / nullif(sum(delivered_pflop), 0) AS gpu_usd_per_pflop,
  sum(gpu_reference_usd_per_pflop * delivered_pflop) / nullif(sum(cost_usd), 0) - 1 AS price_perf_vs_gpu
FROM banded
GROUP BY generation, band
ORDER BY generation, band
