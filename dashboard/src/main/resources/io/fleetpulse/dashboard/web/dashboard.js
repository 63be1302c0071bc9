// FleetPulse live dashboard: keeps the windows and alerts pushed by the server (Server-Sent Events on /events)
// and draws them. Every string that came from Kafka reaches the page through textContent, never as markup.
'use strict';

(function () {
  const state = {
    windows: new Map(), // windowStart (ms) -> window view, as sent by the server
    alerts: new Map(), // alertId -> latest alert view
    tenants: null, // the tenant view: the newest complete tenant window, ranked
    status: null,
    clockOffsetMs: 0, // server clock minus this browser's clock
    windowsKept: null,
    lastEventId: null,
    connected: false,
  };
  const charts = {};
  const $ = (id) => document.getElementById(id);

  // ---- numbers and times -------------------------------------------------------------------------------------

  const formats = new Map();
  function numberFormat(key, options) {
    if (!formats.has(key)) formats.set(key, new Intl.NumberFormat('en-US', options));
    return formats.get(key);
  }
  function isNum(v) {
    return typeof v === 'number' && Number.isFinite(v);
  }
  /** v with exactly `digits` decimals and thousands separators; a dash when undefined. */
  function fixed(v, digits) {
    if (!isNum(v)) return '—';
    return numberFormat('f' + digits, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
  }
  /** v to `digits` significant digits, for figures as small as dollars per PFLOP. */
  function sig(v, digits) {
    if (!isNum(v)) return '—';
    return numberFormat('s' + digits, { maximumSignificantDigits: digits }).format(v);
  }
  /** A 0..1 share as a percentage with one decimal. */
  function pct(v) {
    return isNum(v) ? fixed(v * 100, 1) : '—';
  }
  function utcDateTime(ms) {
    return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  }
  function utcTime(ms) {
    return new Date(ms).toISOString().slice(11, 19);
  }
  /** A delay: tenths of a second below a minute (it may be negative: clocks of two machines), then as duration(). */
  function delay(ms) {
    if (!isNum(ms)) return '—';
    return Math.abs(ms) < 60000 ? fixed(ms / 1000, 1) + ' s' : (ms < 0 ? '−' : '') + duration(Math.abs(ms));
  }
  function duration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + ' s';
    const m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + (s % 60) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  // ---- the event stream ---------------------------------------------------------------------------------------

  let source = null;

  function connect() {
    // A native EventSource reconnect sends Last-Event-ID itself; a new EventSource (after the old one gave up)
    // passes it in the query instead.
    const url = state.lastEventId ? '/events?lastEventId=' + encodeURIComponent(state.lastEventId) : '/events';
    source = new EventSource(url);
    source.onopen = () => setConnected(true);
    source.onerror = () => {
      setConnected(false);
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 3000);
      }
    };
    source.addEventListener('snapshot', (e) => {
      const snap = JSON.parse(e.data);
      remember(e);
      state.windowsKept = snap.windowsKept;
      state.windows.clear();
      snap.windows.forEach((w) => state.windows.set(w.windowStart, w));
      state.alerts.clear();
      snap.alerts.forEach((a) => state.alerts.set(a.alertId, a));
      state.tenants = snap.tenants || null;
      if (snap.status) takeStatus(snap.status);
      scheduleRender();
    });
    source.addEventListener('window', (e) => {
      const w = JSON.parse(e.data);
      remember(e);
      state.windows.set(w.windowStart, w);
      trimWindows();
      scheduleRender();
    });
    source.addEventListener('alert', (e) => {
      const a = JSON.parse(e.data);
      remember(e);
      state.alerts.set(a.alertId, a);
      scheduleRender();
    });
    source.addEventListener('tenants', (e) => {
      state.tenants = JSON.parse(e.data);
      remember(e);
      scheduleRender();
    });
    source.addEventListener('status', (e) => {
      takeStatus(JSON.parse(e.data));
      renderStream();
    });
  }

  function remember(e) {
    if (e.lastEventId) state.lastEventId = e.lastEventId;
  }

  function takeStatus(status) {
    state.status = status;
    state.clockOffsetMs = status.serverTime - Date.now();
  }

  // The server's rule: the last windowsKept window lengths up to the newest window, and no more than that many.
  function trimWindows() {
    if (!state.windowsKept) return;
    const starts = [...state.windows.keys()].sort((a, b) => a - b);
    if (!starts.length) return;
    const newest = state.windows.get(starts[starts.length - 1]);
    const oldest = newest.windowStart - (state.windowsKept - 1) * (newest.windowEnd - newest.windowStart);
    starts.forEach((start, i) => {
      if (i < starts.length - state.windowsKept || start < oldest) state.windows.delete(start);
    });
  }

  function setConnected(connected) {
    state.connected = connected;
    const pill = $('conn');
    pill.textContent = connected ? 'live' : 'reconnecting';
    pill.className = 'pill ' + (connected ? 'pill-ok' : 'pill-bad');
    renderStream();
  }

  // ---- drawing ------------------------------------------------------------------------------------------------

  let renderPending = false;
  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    setTimeout(() => {
      renderPending = false;
      render();
    }, 30);
  }

  function sortedWindows() {
    return [...state.windows.values()].sort((a, b) => a.windowStart - b.windowStart);
  }

  function render() {
    const windows = sortedWindows();
    const latest = windows.length ? windows[windows.length - 1] : null;
    document.body.classList.toggle('metered', !!latest && latest.fleet.powerModelled === false);
    renderKpis(latest);
    renderCharts(windows);
    renderSites(latest);
    renderWaste(latest);
    renderTenants(state.tenants);
    renderAlerts();
    renderStream();
    $('footer-windows').textContent = windows.length + ' window' + (windows.length === 1 ? '' : 's') + ' shown'
        + (state.windowsKept ? ' (the server keeps the last ' + state.windowsKept + ').' : '.');
  }

  function setText(id, text) {
    $(id).textContent = text;
  }

  function renderKpis(w) {
    const f = w ? w.fleet : {};
    setText('kpi-util-avg', pct(f.utilizationAvg));
    setText('kpi-util-p95', pct(f.utilizationP95));
    setText('kpi-it-power', fixed(f.itPowerKw, 0));
    setText('kpi-power-chip', fixed(f.powerAvgW, 0));
    setText('kpi-energy', fixed(f.facilityEnergyKwh, 1));
    setText('kpi-it-energy', fixed(f.itEnergyKwh, 1));
    setText('kpi-idle-energy', fixed(f.idleEnergyKwh, 1));
    setText('kpi-tflops-w', fixed(f.tflopsPerW, 3));
    setText('kpi-pflop', fixed(f.deliveredPflop, 0));
    setText('kpi-carbon-location', fixed(f.carbonLocationKg, 1));
    setText('kpi-carbon-market', fixed(f.carbonMarketKg, 1));
    setText('kpi-usd-pflop', sig(f.usdPerPflop, 3));
    setText('kpi-gpu-usd-pflop', sig(f.gpuUsdPerPflop, 3));
    setText('kpi-vs-gpu', pct(f.pricePerfVsGpu));
    setText('kpi-chips', fixed(f.chips, 0));
    setText('kpi-ultraservers', fixed(f.ultraservers, 0));
    setText('kpi-source', !w ? '—' : f.source === 'ROLLUP' ? 'from the fleet roll-up' : 'derived from UltraServer windows');
  }

  function series(label, stroke, format, extra) {
    return Object.assign({ label, stroke, width: 2, value: (u, v) => (v == null ? '—' : format(v)) }, extra || {});
  }

  function makeChart(id, lines, axes, scales) {
    const el = $(id);
    const opts = {
      width: Math.max(300, el.clientWidth),
      height: 220,
      // Windows are event-time UTC; label them so whatever this browser's time zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: Object.assign({ x: { time: true } }, scales || {}),
      series: [{ label: 'window start (UTC)', value: (u, v) => (v == null ? '—' : utcTime(v * 1000)) }].concat(lines),
      axes: [{}].concat(axes),
      legend: { live: true },
    };
    const data = [[]].concat(lines.map(() => []));
    charts[id] = { chart: new uPlot(opts, data, el), el };
  }

  function setupCharts() {
    makeChart('chart-util', [
      series('avg', '#1d4ed8', (v) => fixed(v, 1) + ' %'),
      series('p95', '#d97706', (v) => fixed(v, 1) + ' %', { dash: [6, 4] }),
    ], [{ label: '%', size: 50 }], { y: { range: [0, 100] } });
    makeChart('chart-power', [
      series('IT power', '#7c3aed', (v) => fixed(v, 0) + ' kW', { scale: 'kw' }),
      series('facility power', '#0891b2', (v) => fixed(v, 0) + ' kW', { scale: 'kw' }),
      series('facility energy, cumulative', '#9ca3af', (v) => fixed(v, 0) + ' kWh', { scale: 'kwh', dash: [4, 4] }),
    ], [
      { scale: 'kw', label: 'kW', size: 70 },
      { scale: 'kwh', label: 'kWh', side: 1, size: 70, grid: { show: false } },
    ]);
    makeChart('chart-efficiency', [series('TFLOPS/W', '#15803d', (v) => fixed(v, 3) + ' TFLOPS/W')],
        [{ label: 'TFLOPS/W', size: 60 }]);
    makeChart('chart-carbon', [
      series('location-based', '#b91c1c', (v) => fixed(v, 1) + ' kg'),
      series('market-based', '#15803d', (v) => fixed(v, 1) + ' kg'),
    ], [{ label: 'kgCO₂e', size: 60 }]);
    makeChart('chart-price', [
      series('fleet', '#1d4ed8', (v) => '$' + sig(v, 3) + ' / PFLOP'),
      series('GPU baseline', '#6b7280', (v) => '$' + sig(v, 3) + ' / PFLOP', { dash: [6, 4] }),
    ], [{ label: '$ / PFLOP', size: 80 }]);
    window.addEventListener('resize', () => {
      Object.values(charts).forEach((c) => c.chart.setSize({ width: Math.max(300, c.el.clientWidth), height: 220 }));
    });
  }

  function renderCharts(windows) {
    const x = windows.map((w) => w.windowStart / 1000);
    const col = (f) => windows.map((w) => (isNum(w.fleet[f]) ? w.fleet[f] : null));
    const pctCol = (f) => col(f).map((v) => (v == null ? null : v * 100));
    charts['chart-util'].chart.setData([x, pctCol('utilizationAvg'), pctCol('utilizationP95')]);
    // Facility power is facility energy over the window's length; the running sum shows energy adding up.
    const facilityKw = windows.map((w) => (isNum(w.fleet.facilityEnergyKwh)
        ? w.fleet.facilityEnergyKwh / ((w.windowEnd - w.windowStart) / 3600000) : null));
    let total = 0;
    const cumulativeKwh = windows.map((w) => (total += isNum(w.fleet.facilityEnergyKwh) ? w.fleet.facilityEnergyKwh : 0));
    charts['chart-power'].chart.setData([x, col('itPowerKw'), facilityKw, cumulativeKwh]);
    charts['chart-efficiency'].chart.setData([x, col('tflopsPerW')]);
    charts['chart-carbon'].chart.setData([x, col('carbonLocationKg'), col('carbonMarketKg')]);
    charts['chart-price'].chart.setData([x, col('usdPerPflop'), col('gpuUsdPerPflop')]);
  }

  function row(cells) {
    const tr = document.createElement('tr');
    cells.forEach((c) => {
      const td = document.createElement('td');
      td.textContent = c.text;
      if (c.cls) td.className = c.cls;
      tr.appendChild(td);
    });
    return tr;
  }

  function emptyRow(columns, text) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = columns;
    td.className = 'text muted';
    td.textContent = text;
    tr.appendChild(td);
    return tr;
  }

  function renderSites(w) {
    const body = $('sites-body');
    body.replaceChildren();
    if (!w || !w.sites.length) {
      body.appendChild(emptyRow(13, 'no site figures yet'));
      return;
    }
    w.sites.forEach((s) => body.appendChild(row([
      { text: s.id, cls: 'text site-id' },
      { text: fixed(s.ultraservers, 0) },
      { text: fixed(s.chips, 0) },
      { text: pct(s.utilizationAvg) },
      { text: pct(s.utilizationP95) },
      { text: fixed(s.itPowerKw, 0) },
      { text: fixed(s.facilityEnergyKwh, 1) },
      { text: fixed(s.tflopsPerW, 3) },
      { text: fixed(s.carbonLocationKg, 1) },
      { text: fixed(s.carbonMarketKg, 1) },
      { text: sig(s.usdPerPflop, 3) },
      { text: pct(s.pricePerfVsGpu) },
      { text: s.source === 'ROLLUP' ? 'roll-up' : 'derived' },
    ])));
  }

  function renderWaste(w) {
    const body = $('waste-body');
    body.replaceChildren();
    if (!w || !w.wasteful.length) {
      body.appendChild(emptyRow(9, 'no UltraServer windows yet'));
      return;
    }
    w.wasteful.forEach((r, i) => body.appendChild(row([
      { text: String(i + 1) },
      { text: String(r.ultraserverId) },
      { text: r.site, cls: 'text' },
      { text: r.generation == null ? '—' : r.generation, cls: 'text' },
      { text: pct(r.utilizationAvg) },
      { text: fixed(r.idleEnergyKwh, 2) },
      { text: fixed(r.unusedCapacityUsd, 2) },
      { text: fixed(r.costUsd, 2) },
      { text: sig(r.usdPerPflop, 3) },
    ])));
  }

  // Three rankings of the same tenants; every tenant id reaches the page through textContent.
  function renderTenants(t) {
    const complete = t && t.windowStart != null;
    setText('tenants-window', complete
        ? utcDateTime(t.windowStart) + '–' + utcTime(t.windowEnd).slice(0, 5) + ' UTC, ' + t.tenants
            + (t.tenants === 1 ? ' tenant' : ' tenants')
        : 'waiting for a complete tenant window');
    setText('tenants-summary', complete
        ? 'all tenants: $' + fixed(t.costUsd, 2) + ' ($' + fixed(t.usdPerHour, 2) + ' / h), idle share '
            + pct(t.idleShare) + ' %, ' + fixed(t.carbonLocationKg, 2) + ' kgCO₂e location-based ('
            + fixed(t.carbonLocationKgPerHour, 2) + ' / h), ' + fixed(t.carbonMarketKg, 2) + ' kgCO₂e market-based ('
            + fixed(t.carbonMarketKgPerHour, 2) + ' / h)*'
        : '');
    setText('tenants-totals', t && t.totalsSince != null
        ? 'Totals over the ' + t.totalWindows + (t.totalWindows === 1 ? ' window' : ' windows') + ' counted since '
            + utcDateTime(t.totalsSince) + ' UTC: $' + fixed(t.totalCostUsd, 2) + ', '
            + fixed(t.totalCarbonLocationKg, 2) + ' kgCO₂e location-based, ' + fixed(t.totalCarbonMarketKg, 2)
            + ' kgCO₂e market-based*.'
        : '');
    const rank = (id, rows, columns, cells) => {
      const body = $(id);
      body.replaceChildren();
      if (!complete || !rows.length) {
        body.appendChild(emptyRow(columns, 'no tenant window yet'));
        return;
      }
      rows.forEach((r, i) => body.appendChild(row([{ text: String(i + 1) }, { text: r.tenant, cls: 'text tenant-id' }]
          .concat(cells(r)))));
    };
    rank('tenants-cost-body', complete ? t.byCost : [], 6, (r) => [
      { text: fixed(r.costUsd, 2) }, { text: fixed(r.usdPerHour, 2) }, { text: pct(r.idleShare) },
      { text: fixed(r.totalCostUsd, 2) }]);
    rank('tenants-location-body', complete ? t.byCarbonLocation : [], 5, (r) => [
      { text: fixed(r.carbonLocationKg, 3) }, { text: fixed(r.carbonLocationKgPerHour, 2) },
      { text: fixed(r.totalCarbonLocationKg, 2) }]);
    rank('tenants-market-body', complete ? t.byCarbonMarket : [], 5, (r) => [
      { text: fixed(r.carbonMarketKg, 3) }, { text: fixed(r.carbonMarketKgPerHour, 2) },
      { text: fixed(r.totalCarbonMarketKg, 2) }]);
  }

  function span(cls, text) {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }

  function renderAlerts() {
    const list = $('alerts-list');
    const alerts = [...state.alerts.values()].sort((a, b) => b.updatedTime - a.updatedTime).slice(0, 50);
    const open = [...state.alerts.values()].filter((a) => a.status === 'OPEN').length;
    setText('alerts-count', state.alerts.size ? open + ' open, ' + state.alerts.size + ' recent' : 'none');
    list.replaceChildren();
    alerts.forEach((a) => {
      const li = document.createElement('li');
      li.className = 'alert' + (a.status === 'RESOLVED' ? ' resolved' : '');
      li.appendChild(span('when', utcTime(a.updatedTime)));
      li.appendChild(span('sev sev-' + a.severity, a.severity));
      const where = [a.site];
      if (a.ultraserverId != null) where.push('UltraServer ' + a.ultraserverId);
      if (a.workloadId != null) where.push('workload ' + a.workloadId);
      if (a.chipCount) where.push(a.chipCount + (a.chipCount === 1 ? ' chip' : ' chips'));
      li.appendChild(span('what', a.kind + ' ' + a.status.toLowerCase() + ' · ' + where.join(' · ')));
      li.appendChild(span('summary', a.summary));
      li.appendChild(span('cost', 'wasted so far: ' + fixed(a.wastedEnergyKwh, 1) + ' kWh*, $' + fixed(a.wastedCostUsd, 2)
          + ', ' + fixed(a.wastedCarbonKg, 2) + ' kgCO₂e*; observed ' + sig(a.observed, 3) + ' vs threshold '
          + sig(a.threshold, 3)));
      list.appendChild(li);
    });
  }

  function renderStream() {
    const windows = sortedWindows();
    const latest = windows.length ? windows[windows.length - 1] : null;
    const st = state.status;
    setText('last-window', latest
        ? utcDateTime(latest.windowStart) + '–' + utcTime(latest.windowEnd).slice(0, 5) + ' UTC' : 'none yet');
    const now = Date.now() + state.clockOffsetMs;
    const age = st && st.lastRecordAt != null ? now - st.lastRecordAt : null;
    let line;
    if (!st) line = 'waiting for the server';
    else if (age == null) line = 'waiting for the first window · Kafka: ' + st.kafka;
    else line = 'last record ' + duration(age) + ' ago · Kafka: ' + st.kafka;
    if (st && st.skipped) {
      const reasons = Object.entries(st.skippedByReason || {}).filter(([, n]) => n > 0).map(([k, n]) => k + ' ' + n);
      line += ' · ' + st.skipped + (st.skipped === 1 ? ' record' : ' records') + ' skipped (' + reasons.join(', ') + ')';
    }
    setText('last-update', line);
    $('last-update').title = st && st.lastSkipped ? 'last skipped: ' + st.lastSkipped : '';
    renderLatency(latest, st);

    const banner = $('stale-banner');
    let problem = null;
    if (!state.connected) {
      problem = 'Lost the connection to the dashboard server; reconnecting. The figures below may be out of date.';
    } else if (age != null && age > st.staleAfterMs) {
      problem = 'The stream looks stalled: no new window record for ' + duration(age) + ' (last window ended '
          + (st.latestWindowEnd != null ? utcDateTime(st.latestWindowEnd) + ' UTC' : 'unknown')
          + '). Check the metrics job and Kafka. Kafka: ' + st.kafka;
    }
    banner.hidden = problem == null;
    banner.textContent = problem || '';
  }

  // How late the stream is: only when window ends are wall-clock times (the server tells: status.latency.clock);
  // at --speedup > 1 they are simulated times, and any difference from the wall clock would be made up.
  function renderLatency(latest, st) {
    const lat = st && st.latency;
    const el = $('latency');
    let text;
    if (!lat) text = 'delay: waiting for the server';
    else if (lat.clock === 'fast') {
      text = 'delay n/a at speedup' + (isNum(lat.eventTimeRate) ? ' (event time ' + fixed(lat.eventTimeRate, 0)
          + '× the wall clock)' : '');
    } else if (lat.clock !== 'real-time') text = 'delay: measuring';
    else {
      const now = Date.now() + state.clockOffsetMs;
      // The newest window's own figures when it came live, else the server's for the newest live window.
      const own = latest && latest.live;
      const d = own ? latest.receivedAt - latest.windowEnd : lat.lastDelayMs;
      const job = own ? (latest.emittedAt == null ? null : latest.emittedAt - latest.windowEnd) : lat.lastJobDelayMs;
      text = (latest ? 'window closed ' + delay(now - latest.windowEnd) + ' ago · ' : '') + 'delay ' + delay(d)
          + ' (job ' + (job == null ? 'n/a' : delay(job)) + ')'
          + (lat.delayMs ? ' · p95 ' + delay(lat.delayMs.p95) : '');
    }
    el.textContent = text;
    el.title = lat ? lat.note : '';
  }

  document.addEventListener('DOMContentLoaded', () => {
    setupCharts();
    render();
    connect();
    setInterval(renderStream, 1000);
  });
})();
