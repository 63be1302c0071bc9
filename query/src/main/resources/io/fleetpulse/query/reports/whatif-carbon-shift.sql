-- title: What if flexible training ran in each site's lowest-carbon hours of the day: kgCO2e saved
-- needs: ultraserver_window
-- Flexible work = the flex-* workloads' training: their UltraServer windows in the site's local night (local hour
-- outside workloads.flex_day_start_hour..flex_day_end_hour, the hours flex UltraServers train; by day they serve
-- inference, which stays put). Per site and UTC day, each flexible hour's facility energy moves, unchanged, into
-- one of the N lowest-intensity hours of that site and day (N = its flexible hours; the largest block to the
-- cleanest hour), hourly intensity = the hour's kgCO2e per facility kWh over all the site's windows (the hourly grid
-- intensity grid_factor_g_per_kwh the job priced with). Location-based saving; market-based for the same moves, with
-- contracted renewables covering the same share of the moved energy as of the hour's consumption (the fleet model's
-- definition of contracted supply). Same energy, same chip-hours: $ saved on chip cost is 0, and no energy price is
-- modelled. Assumes the target hours have capacity for the work (e.g. idle or unplaced chips at the same site).
-- Long format: 'result' rows per site and 'all', 'assumption' rows with the factors and their sources.
WITH factors(name, value, unit, source) AS (
  VALUES
    ('workloads.flex_day_start_hour', 8.0, 'local hour', 'fleet defaults: flex UltraServers switch to inference'),
    ('workloads.flex_day_end_hour', 20.0, 'local hour', 'fleet defaults: flex UltraServers switch back to training')
),
zones(site, zone) AS (
  VALUES ('us-in', 'America/Indiana/Indianapolis'), ('us-pa', 'America/New_York'), ('us-ms', 'America/Chicago')
),
f AS (
  SELECT max(value) FILTER (WHERE name = 'workloads.flex_day_start_hour') AS day_start,
    max(value) FILTER (WHERE name = 'workloads.flex_day_end_hour') AS day_end
  FROM factors
),
hourly AS (
  SELECT site, date, hour,
    sum(carbon_location_kg) * 1000 / sum(facility_energy_kwh) AS location_g_per_kwh,
    sum(carbon_market_kg) * 1000 / sum(facility_energy_kwh) AS market_g_per_kwh
  FROM ultraserver_window
  WHERE facility_energy_kwh > 0
  GROUP BY site, date, hour
),
flex_hourly AS (
  SELECT site, date, hour, min(window_start) AS first_window, sum(chip_seconds) / 3600 AS chip_hours,
    sum(facility_energy_kwh) AS facility_kwh, sum(carbon_location_kg) AS location_kg, sum(carbon_market_kg) AS market_kg
  FROM ultraserver_window
  WHERE workload LIKE 'flex-%' AND facility_energy_kwh > 0
  GROUP BY site, date, hour
),
flexible AS (
  SELECT h.*, row_number() OVER (PARTITION BY h.site, h.date ORDER BY h.facility_kwh DESC, h.hour) AS k
  FROM flex_hourly h
  JOIN zones z ON z.site = h.site
  CROSS JOIN f
  WHERE hour(timezone(z.zone, h.first_window)) < f.day_start OR hour(timezone(z.zone, h.first_window)) >= f.day_end
),
-- Ties (equal to 1e-6 g/kWh: the grid profile's day curve is symmetric) go to the earlier hour, whatever the last
-- bits of the sums.
cleanest AS (
  SELECT *, row_number() OVER (PARTITION BY site, date ORDER BY round(location_g_per_kwh, 6), hour) AS k FROM hourly
),
moved AS (
  SELECT x.site, x.date, x.hour AS from_hour, c.hour AS to_hour, x.chip_hours, x.facility_kwh, x.location_kg,
    x.market_kg, x.facility_kwh * c.location_g_per_kwh / 1000 AS shifted_location_kg,
    x.facility_kwh * c.market_g_per_kwh / 1000 AS shifted_market_kg
  FROM flexible x
  JOIN cleanest c ON c.site = x.site AND c.date = x.date AND c.k = x.k
),
site_totals AS (
  SELECT site, sum(carbon_location_kg) AS site_location_kg FROM ultraserver_window GROUP BY site
),
per_site AS (
  SELECT m.site, count(*) AS flexible_hours, sum(chip_hours) AS chip_hours, sum(facility_kwh) AS facility_kwh,
    sum(location_kg) AS location_kg, sum(shifted_location_kg) AS shifted_location_kg, sum(market_kg) AS market_kg,
    sum(shifted_market_kg) AS shifted_market_kg, any_value(t.site_location_kg) AS site_location_kg,
    string_agg(strftime(m.date, '%Y-%m-%d') || ' ' || lpad(m.from_hour::VARCHAR, 2, '0') || '->'
      || lpad(m.to_hour::VARCHAR, 2, '0'), ', ' ORDER BY m.date, m.from_hour) AS moves
  FROM moved m
  JOIN site_totals t ON t.site = m.site
  GROUP BY m.site
),
with_total AS (
  SELECT *, 0 AS k1 FROM per_site
  UNION ALL
  -- A period without flexible training (a short run by local day) moves nothing: zeros, and a note saying why.
  SELECT 'all', coalesce(sum(flexible_hours), 0), coalesce(sum(chip_hours), 0), coalesce(sum(facility_kwh), 0),
    coalesce(sum(location_kg), 0), coalesce(sum(shifted_location_kg), 0), coalesce(sum(market_kg), 0),
    coalesce(sum(shifted_market_kg), 0), (SELECT sum(site_location_kg) FROM site_totals),
    CASE WHEN count(*) = 0 THEN 'no flexible training in the period: flex-* workloads train only outside their '
      || 'local day hours' END, 1
  FROM per_site
),
figures AS (
  SELECT site, k1, moves, unnest([
    {'figure': 'flexible_hours', 'value': flexible_hours, 'unit': 'site-hours moved', 'n': 1},
    {'figure': 'flexible_chip_hours', 'value': chip_hours, 'unit': 'chip-hours (unchanged)', 'n': 2},
    {'figure': 'flexible_facility_energy_kwh', 'value': facility_kwh, 'unit': 'kWh (unchanged, modelled)', 'n': 3},
    {'figure': 'carbon_location_kg_as_run', 'value': location_kg, 'unit': 'kgCO2e location-based', 'n': 4},
    {'figure': 'carbon_location_kg_shifted', 'value': shifted_location_kg, 'unit': 'kgCO2e location-based', 'n': 5},
    {'figure': 'carbon_location_kg_saved', 'value': location_kg - shifted_location_kg, 'unit': 'kgCO2e location-based',
      'n': 6},
    {'figure': 'saved_share_of_flexible', 'value': (location_kg - shifted_location_kg) / nullif(location_kg, 0),
      'unit': 'of the flexible work''s location-based kgCO2e', 'n': 7},
    {'figure': 'saved_share_of_site', 'value': (location_kg - shifted_location_kg) / nullif(site_location_kg, 0),
      'unit': 'of all location-based kgCO2e (site or fleet)', 'n': 8},
    {'figure': 'carbon_market_kg_as_run', 'value': market_kg, 'unit': 'kgCO2e market-based', 'n': 9},
    {'figure': 'carbon_market_kg_shifted', 'value': shifted_market_kg, 'unit': 'kgCO2e market-based', 'n': 10},
    {'figure': 'carbon_market_kg_saved', 'value': market_kg - shifted_market_kg,
      'unit': 'kgCO2e market-based (negative: more)', 'n': 11},
    {'figure': 'chip_cost_usd_saved', 'value': 0.0, 'unit': 'USD: same chip-hours at the same price', 'n': 12}
  ]) AS x
  FROM with_total
),
out AS (
  SELECT 'result' AS section, site AS scope, x.figure AS figure, x.value AS value, x.unit AS unit,
    CASE WHEN x.n = 1 THEN moves END AS note, 0 AS k0, k1, site AS k2, x.n AS k3
  FROM figures
  UNION ALL
  SELECT 'assumption', 'factors', name, value, unit, source, 1, 0, '', 0 FROM factors
  UNION ALL
  SELECT 'assumption', 'factors', 'sites.' || site || '.timezone', NULL, 'IANA time zone', zone, 1, 1, site, 0 FROM zones
  UNION ALL
  SELECT 'assumption', 'coverage', 'sites without a time zone here', NULL, NULL,
    coalesce(string_agg(DISTINCT h.site, ', ' ORDER BY h.site), 'none: every site with flex work is covered'), 2, 0, '', 0
  FROM flex_hourly h
  WHERE h.site NOT IN (SELECT site FROM zones)
  UNION ALL
  SELECT 'assumption', 'method', m.figure, NULL, NULL, m.note, 3, 0, '', m.n FROM (VALUES
    (1, 'flexible', 'the training of flex-* workloads: their windows at local hours outside flex_day_start_hour.. '
      || 'flex_day_end_hour (classified per UTC hour); their daytime inference and all other work stay put'),
    (2, 'day', 'work moves within its site and UTC day, into as many hours as it ran in (largest block to the '
      || 'cleanest hour), each hour''s energy unchanged'),
    (3, 'intensity', 'an hour''s kgCO2e per facility kWh over all the site''s windows: the hourly grid intensity the '
      || 'job priced with (location-based); market-based: the hour''s market kgCO2e per facility kWh'),
    (4, 'market-based', 'contracted renewables cover the moved energy at the target hour''s share, as the fleet model '
      || 'defines contracted supply (a share of consumption); ranked on location-based intensity only'),
    (5, 'cost', 'chip-hours and chip prices do not change, so chip cost saved is 0; no energy price is modelled'),
    (6, 'capacity', 'the target hours are assumed to have room for the work (flex UltraServers serve inference by day)')
  ) AS m(n, figure, note)
)
SELECT section, scope, figure, value, unit, note FROM out ORDER BY k0, k1, k2, k3, figure
