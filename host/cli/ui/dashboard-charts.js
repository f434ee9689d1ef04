// Traffic charts (uPlot): per component, calls/s with errors/s by code, and latency p50/p99. Every text from the
// lattice goes through weft.esc() before it reaches innerHTML; uPlot draws on a canvas (no markup).
/* global uPlot */
(function () {
  const weft = (window.weft = window.weft || {});
  const charts = new Map(); // component id -> { el, calls, lat, key }
  const CODE_COLOURS = ['#f85149', '#ff9e64', '#db61a2', '#e3b341', '#ff7b72'];
  const fmt = (v, d = 1) => (v == null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(d));

  function opts(width, series) {
    return {
      width,
      height: 130,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true, live: false },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max * 1.15, 1)] } },
      axes: [
        { stroke: '#8b98a5', grid: { stroke: '#2a3440', width: 1 }, ticks: { stroke: '#2a3440' }, size: 28 },
        {
          stroke: '#8b98a5',
          grid: { stroke: '#2a3440', width: 1 },
          ticks: { stroke: '#2a3440' },
          size: (u, values) => 16 + 7 * Math.max(3, ...(values || []).map((v) => String(v).length)),
        },
      ],
      series: [{}, ...series],
    };
  }

  function card(id) {
    const el = document.createElement('div');
    el.className = 'traffic-card';
    el.dataset.componentId = id;
    el.innerHTML = `<div class="title"><b>${weft.esc(id)}</b><span class="now"></span></div>
      <div class="charts"><div class="chart calls"></div><div class="chart lat"></div></div>`;
    return el;
  }

  function callsSeries(codes) {
    return [
      { label: 'calls/s', stroke: '#58a6ff', width: 1.6, fill: 'rgba(88,166,255,0.12)' },
      ...codes.map((c, i) => ({ label: `${c}/s`, stroke: CODE_COLOURS[i % CODE_COLOURS.length], width: 1.4 })),
    ];
  }

  /** Draws (or updates) one card per component in `traffic.components`; cards of components that left go. */
  weft.renderTraffic = function (traffic, box) {
    const comps = (traffic && traffic.components) || {};
    const ids = Object.keys(comps).sort();
    if (!ids.length) {
      box.innerHTML =
        '<div class="empty">no traffic yet: call a component (hosts send a sample every few seconds)</div>';
      charts.clear();
      return;
    }
    box.querySelector('.empty')?.remove();
    for (const [id, c] of charts) if (!comps[id]) (c.el.remove(), charts.delete(id));
    for (const id of ids) {
      const s = comps[id];
      const codes = Object.keys(s.codes || {}).sort();
      let c = charts.get(id);
      if (!c) {
        c = { el: card(id) };
        box.appendChild(c.el);
        charts.set(id, c);
      }
      const w = Math.max(180, Math.floor(c.el.clientWidth / 2) - 14);
      const key = codes.join(',') + '|' + w;
      const callData = [s.t, s.rate, ...codes.map((k) => s.codes[k])];
      const latData = [s.t, s.p50, s.p99];
      if (c.key !== key) {
        c.calls?.destroy();
        c.lat?.destroy();
        c.el.querySelector('.calls').innerHTML = '<div class="cap">calls/s and errors/s by code</div>';
        c.el.querySelector('.lat').innerHTML = '<div class="cap">latency ms (worst host)</div>';
        c.calls = new uPlot(opts(w, callsSeries(codes), 'per s'), callData, c.el.querySelector('.calls'));
        c.lat = new uPlot(
          opts(
            w,
            [
              { label: 'p50', stroke: '#3fb950', width: 1.6, spanGaps: true },
              { label: 'p99', stroke: '#d29922', width: 1.6, spanGaps: true },
            ],
            'ms',
          ),
          latData,
          c.el.querySelector('.lat'),
        );
        c.key = key;
      } else {
        c.calls.setData(callData);
        c.lat.setData(latData);
      }
      const i = s.t.length - 1;
      const err = s.errors[i] || 0;
      c.el.classList.toggle('erroring', err > 0);
      c.el.dataset.points = String(s.t.length);
      c.el.dataset.rate = String(s.rate[i] || 0);
      c.el.dataset.peak = String(Math.max(0, ...s.rate.map((v) => v || 0)));
      c.el.querySelector('.now').innerHTML =
        `<span class="rate">${fmt(s.rate[i] || 0)} calls/s</span>` +
        `<span class="${err ? 'err' : ''}">${fmt(err, 2)} err/s${codes
          .filter((k) => s.codes[k][i])
          .map((k) => ` ${weft.esc(k)}`)
          .join('')}</span>` +
        `<span>p50 ${fmt(s.p50[i], 2)} ms</span><span>p99 ${fmt(s.p99[i], 2)} ms</span>`;
    }
  };
})();
