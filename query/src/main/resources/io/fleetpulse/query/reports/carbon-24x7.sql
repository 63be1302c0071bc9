-- title: 24/7 carbon by site and UTC day: location- and market-based, CFE score, the dirtiest hours
-- needs: ultraserver_window
-- grain: hour
-- Per data center and day: facility energy, location-based kgCO2e (each hour at its grid intensity), market-based
-- kgCO2e (what the hour's contracted carbon-free supply left uncovered, at the residual mix), the 24/7 CFE score
-- (matched contracted supply plus the grid's carbon-free share of the rest, over consumption, summed hourly),
-- embodied kgCO2e, the compute carbon intensity with embodied carbon (gCO2e/PFLOP), the windows priced at an hourly
-- factor, and the three UTC hours that emitted most (location-based). A FLEET row per day adds the sites up. Energy
-- and carbon are modelled; embodied carbon is estimated.
WITH hourly AS (
  SELECT site, date AS day, hour,
    sum(facility_energy_kwh) AS energy, sum(carbon_location_kg) AS location_kg,
    sum(carbon_market_kg) AS market_kg, sum(facility_energy_kwh - residual_facility_energy_kwh
      + grid_cfe_energy_kwh) AS cfe_kwh, sum(embodied_carbon_kg) AS embodied_kg,
    sum(delivered_pflop) AS pflop, sum(ultraservers) AS windows, sum(hourly_factor_windows) AS hourly_windows
  FROM ultraserver_window
  GROUP BY site, day, hour
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY site, day ORDER BY location_kg DESC, hour) AS rank FROM hourly
),
per_site AS (
  SELECT site, day, sum(energy) AS facility_energy_kwh, sum(location_kg) AS carbon_location_kg,
    sum(market_kg) AS carbon_market_kg, sum(cfe_kwh) / nullif(sum(energy), 0) AS cfe_share,
    sum(embodied_kg) AS embodied_carbon_kg,
    (sum(location_kg) + sum(embodied_kg)) * 1000 / nullif(sum(pflop), 0) AS carbon_total_g_per_pflop,
    sum(hourly_windows) / nullif(sum(windows), 0) AS hourly_factor_share,
    string_agg(lpad(hour::VARCHAR, 2, '0') || ':00 ' || round(location_kg, 1)::VARCHAR || ' kg', ', ' ORDER BY rank)
      FILTER (WHERE rank <= 3) AS top_hours
  FROM ranked
  GROUP BY site, day
)
SELECT * FROM per_site
UNION ALL
SELECT 'FLEET' AS site, day, sum(energy), sum(location_kg), sum(market_kg), sum(cfe_kwh) / nullif(sum(energy), 0),
  sum(embodied_kg), (sum(location_kg) + sum(embodied_kg)) * 1000 / nullif(sum(pflop), 0),
  sum(hourly_windows) / nullif(sum(windows), 0), NULL
FROM hourly
GROUP BY day
ORDER BY day, site
