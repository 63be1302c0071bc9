-- title: Top stragglers by money wasted
-- needs: alerts
-- The 20 straggler alerts (a chip persistently slower than its training job's peers, holding the whole
-- synchronous job back) that wasted the most, latest state per alert: who, where, for how long, how far
-- behind (observed vs threshold), and the facility energy, dollars and location-based carbon spent for nothing.
SELECT
  alert_id,
  status,
  severity,
  site,
  ultraserver_id,
  workload_id,
  chip_ids,
  start_time,
  end_time,
  date_diff('second', start_time, coalesce(end_time, updated_time)) / 60.0 AS minutes,
  observed,
  threshold,
  wasted_energy_kwh,
  wasted_cost_usd,
  wasted_carbon_kg,
  summary
FROM alerts_latest
WHERE kind = 'STRAGGLER'
ORDER BY wasted_cost_usd DESC, alert_id
LIMIT 20
