-- title: Carbon by site and UTC day, location- vs market-based
-- needs: ultraserver_window
-- grain: hour
-- Facility energy and its carbon per data center and day. Location-based prices every kWh at the hour's grid
-- intensity (or the site's eGRID annual factor as fallback); market-based counts contracted carbon-free supply
-- matched in the same hour as zero and the rest at the residual mix (GHG Protocol Scope 2). Energy and carbon are
-- modelled: Trainium power is not published. Ratios are empty where nothing was delivered. The day is the
-- table's date partition: the UTC day of window_start.
SELECT
  site,
  date AS day,
  sum(facility_energy_kwh) AS facility_energy_kwh,
  sum(carbon_location_kg) AS carbon_location_kg,
  sum(carbon_market_kg) AS carbon_market_kg,
  sum(carbon_location_kg) - sum(carbon_market_kg) AS avoided_by_renewables_kg,
  1 - sum(residual_facility_energy_kwh) / nullif(sum(facility_energy_kwh), 0) AS renewable_share,
  sum(carbon_location_kg) * 1000 / nullif(sum(delivered_pflop), 0) AS carbon_location_g_per_pflop,
  sum(carbon_market_kg) * 1000 / nullif(sum(delivered_pflop), 0) AS carbon_market_g_per_pflop
FROM ultraserver_window
GROUP BY site, day
ORDER BY day, site
