-- title: Waste by alert kind: reserved-but-idle, stragglers, power caps, ...
-- needs: alerts
-- Per kind of alert, latest state per alert: how many, how many still open, and the facility energy, dollars
-- and location-based carbon they wasted. RESERVED_IDLE is capacity paid for and left idle; STRAGGLER is a
-- synchronous job held back by one slow chip. Energy and carbon are modelled.
SELECT
  kind,
  count(*) AS alerts,
  count(*) FILTER (WHERE status = 'OPEN') AS still_open,
  sum(wasted_energy_kwh) AS wasted_energy_kwh,
  sum(wasted_cost_usd) AS wasted_cost_usd,
  sum(wasted_carbon_kg) AS wasted_carbon_kg
FROM alerts_latest
GROUP BY kind
ORDER BY wasted_cost_usd DESC, kind
