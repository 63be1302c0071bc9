-- A day of the fleet, hour by hour, from the Parquet output: the day/night pattern of inference and training,
-- each site's renewable curve, and the fault signatures. DuckDB SQL (the CLI, or any DuckDB client).
--
-- Inputs, both under one data folder (the paths below say data/; change them to yours):
--   data/ultraserver_window/**/*.parquet   what the metrics job writes (./fleetpulse demo --data data ...)
--   data/ultraserver_layout.csv            what every UltraServer runs, from the same fleet config:
--                                          ./fleetpulse layout --chips N [--config FILE] --out data/ultraserver_layout.csv
-- The window table has site and generation but not placement or job; the layout adds them (and each site's time
-- zone, for local hours). Hours are UTC unless a column says local_hour.
--
-- Example: ./fleetpulse demo --chips 16384 --interval 1m --start 2026-11-25 --duration 1d --speedup max --data data
--          then ./fleetpulse layout --chips 16384 --out data/ultraserver_layout.csv, then: duckdb < this file

CREATE OR REPLACE VIEW w AS
SELECT u.*, l.timezone, l.max_power_w, l.placement, l.workload_id, l.workload_ultraservers,
       extract(hour FROM timezone(l.timezone, u.window_start)) AS local_hour
FROM read_parquet('data/ultraserver_window/**/*.parquet', hive_partitioning = true) u
JOIN read_csv('data/ultraserver_layout.csv', header = true) l USING (ultraserver_id);

-- 0. What is in the data
SELECT min(window_start) AS first_window, max(window_end) AS last_window, count(*) AS windows,
       count(DISTINCT ultraserver_id) AS ultraservers, sum(samples) AS samples
FROM w;

-- 1. Utilization by placement and local hour: inference follows the day, flex serves by day and trains at night
SELECT local_hour,
       round(sum(utilization_sum) FILTER (WHERE placement = 'TRAINING') / sum(samples) FILTER (WHERE placement = 'TRAINING'), 3) AS training,
       round(sum(utilization_sum) FILTER (WHERE placement = 'INFERENCE') / sum(samples) FILTER (WHERE placement = 'INFERENCE'), 3) AS inference,
       round(sum(utilization_sum) FILTER (WHERE placement = 'FLEX') / sum(samples) FILTER (WHERE placement = 'FLEX'), 3) AS flex,
       round(sum(utilization_sum) FILTER (WHERE placement = 'RESERVED_IDLE') / sum(samples) FILTER (WHERE placement = 'RESERVED_IDLE'), 3) AS reserved_idle,
       round(sum(utilization_sum) / sum(samples), 3) AS fleet
FROM w GROUP BY local_hour ORDER BY local_hour;

-- 2. Compute delivered by hour (UTC): PFLOP from training-only, inference-only and flex UltraServers, and efficiency
SELECT hour(window_start) AS utc_hour,
       round(sum(delivered_pflop) FILTER (WHERE placement = 'TRAINING')) AS training_pflop,
       round(sum(delivered_pflop) FILTER (WHERE placement = 'INFERENCE')) AS inference_pflop,
       round(sum(delivered_pflop) FILTER (WHERE placement = 'FLEX')) AS flex_pflop,
       round(sum(delivered_pflop) / (sum(it_energy_kwh) * 3.6e6) * 1000, 3) AS tflops_per_w,
       round(sum(cost_usd) / sum(delivered_pflop), 5) AS usd_per_pflop
FROM w GROUP BY utc_hour ORDER BY utc_hour;

-- 3. Renewable share of each site's consumption by local hour (energy-weighted), and the carbon it saves
SELECT local_hour,
       round(1 - sum(residual_facility_energy_kwh) FILTER (WHERE site = 'us-in') / sum(facility_energy_kwh) FILTER (WHERE site = 'us-in'), 3) AS renewable_us_in,
       round(1 - sum(residual_facility_energy_kwh) FILTER (WHERE site = 'us-pa') / sum(facility_energy_kwh) FILTER (WHERE site = 'us-pa'), 3) AS renewable_us_pa,
       round(1 - sum(residual_facility_energy_kwh) FILTER (WHERE site = 'us-ms') / sum(facility_energy_kwh) FILTER (WHERE site = 'us-ms'), 3) AS renewable_us_ms,
       round(sum(carbon_location_kg)) AS co2_location_kg,
       round(sum(carbon_market_kg)) AS co2_market_kg
FROM w GROUP BY local_hour ORDER BY local_hour;

-- 4. Silent chips: windows of UltraServers with fewer than 64 chips reporting, by hour (UTC)
SELECT hour(window_start) AS utc_hour,
       count(*) FILTER (WHERE chips_reporting < 64) AS windows_short_of_chips,
       count(DISTINCT ultraserver_id) FILTER (WHERE chips_reporting < 64) AS ultraservers_affected,
       sum(64 - chips_reporting) AS chip_minutes_missing
FROM w GROUP BY utc_hour ORDER BY utc_hour;

-- 5. Power caps: every chip of the UltraServer at or under 80% of max power, with utilization pinned at the power
--    budget (p50 = p99: the chips throttle to the same clock). Episodes are runs of such windows.
WITH capped AS (
  SELECT ultraserver_id, placement, window_start,
         window_start - to_minutes(CAST(row_number() OVER (PARTITION BY ultraserver_id ORDER BY window_start) AS INTEGER)) AS run
  FROM w
  WHERE power_max_w <= 0.8 * max_power_w AND utilization_avg > 0.5 AND utilization_p99 - utilization_p50 < 0.001)
SELECT ultraserver_id, placement, min(window_start) AS capped_from, max(window_start) + INTERVAL 1 MINUTE AS capped_to,
       count(*) AS minutes
FROM capped GROUP BY ultraserver_id, placement, run ORDER BY capped_from;

-- 6. Stragglers: training UltraServers whose average utilization sits below their job's median in most windows
--    (one chip at 65% of its peers pulls an UltraServer's average down by about 0.005). Jobs of 3+ UltraServers.
WITH t AS (
  SELECT ultraserver_id, workload_id, window_start, utilization_avg,
         median(utilization_avg) OVER (PARTITION BY workload_id, window_start) AS job_median
  FROM w WHERE placement = 'TRAINING' AND workload_ultraservers >= 3)
SELECT count(DISTINCT ultraserver_id) AS training_ultraservers_checked,
       count(DISTINCT ultraserver_id) FILTER (WHERE behind > 0.8) AS with_a_straggler,
       list(ultraserver_id ORDER BY ultraserver_id) FILTER (WHERE behind > 0.8) AS which
FROM (SELECT ultraserver_id, avg(CAST(utilization_avg < job_median - 0.0025 AS INTEGER)) AS behind
      FROM t WHERE job_median > 0.5 GROUP BY ultraserver_id);

-- 7. Checkpoints: training windows with the chips paused but HBM held, by hour (UTC); steady all day
SELECT hour(window_start) AS utc_hour,
       count(*) FILTER (WHERE utilization_avg < 0.5 AND hbm_util > 0.8) AS checkpoint_windows,
       count(*) AS training_windows
FROM w WHERE placement = 'TRAINING' GROUP BY utc_hour ORDER BY utc_hour;

-- ECC bursts are in the raw telemetry (ecc_corrected_total jumps by ecc_burst_size) but not in the window tables:
-- read fleet.telemetry, or add per-window ECC deltas to the job.
