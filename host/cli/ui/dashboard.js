// The weft dashboard page: hosts with their figures and sparklines, applications, events (grouped, routine ones in a
// status line, failures kept apart), and the charts and graph of dashboard-charts.js / dashboard-graph.js.
// Every value from the lattice goes through esc() before it reaches innerHTML, numbers too (a forged heartbeat or
// sample can put anything anywhere); the server's Content-Security-Policy allows no inline or foreign script.
(function () {
  const weft = (window.weft = window.weft || {});
  const $ = (id) => document.getElementById(id);
  const esc = (weft.esc = (s) =>
    String(s ?? '').replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
    ));
  const list = (v) => (Array.isArray(v) ? v : []);
  let state = { hosts: [], links: [], apps: [], events: { groups: {}, failures: [], routine: [] } };
  let traffic = { components: {}, hosts: {} };

  const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
  const dur = (s) =>
    s < 60
      ? `${s | 0}s`
      : s < 3600
        ? `${(s / 60) | 0}m ${(s % 60) | 0}s`
        : `${(s / 3600) | 0}h ${((s % 3600) / 60) | 0}m`;
  function spark(values) {
    const v = list(values).slice(-90);
    if (v.length < 2) return '<svg></svg>';
    const max = Math.max(...v, 1e-9),
      w = 100,
      h = 20;
    const pts = v.map((y, i) => `${((i / (v.length - 1)) * w).toFixed(1)},${(h - (y / max) * (h - 2) - 1).toFixed(1)}`);
    return `<svg viewBox="0 0 ${w} ${h}" preserveAspectRatio="none"><polyline points="${pts.join(' ')}"/></svg>`;
  }
  function figure(k, v, series, hot) {
    return `<div class="figure${hot ? ' hot' : ''}" data-figure="${esc(k)}"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div>${spark(series)}</div>`;
  }
  function hostFigures(id) {
    const s = traffic.hosts && traffic.hosts[id];
    if (!s) return '<div class="figures empty">waiting for this host\'s first metrics sample</div>';
    const l = s.last;
    const cap = l.instance_cap ? ` / ${l.instance_cap}` : '';
    return `<div class="figures">${[
      figure(
        'uptime',
        dur(l.uptime_seconds),
        s.t.map((t, i) => i),
      ),
      figure('CPU', `${Number(l.cpu_percent).toFixed(1)} %`, s.cpu, l.cpu_percent > 80),
      figure('RSS', mib(l.rss_bytes), s.rss),
      figure(
        'instances in use',
        `${l.instances_in_use}${cap}`,
        s.in_use,
        l.instance_cap && l.instances_in_use > 0.8 * l.instance_cap,
      ),
      figure('guest workers', String(l.guest_workers), s.workers),
    ].join('')}</div>`;
  }
  function renderHosts(hosts) {
    if (!hosts.length) return '<div class="empty">no hosts: start one with <code>weft up</code></div>';
    return hosts
      .map(
        (h) => `<div class="host" data-host-id="${esc(h.host_id)}">
      <div class="name">${esc(h.friendly_name)} <span class="dim">· v${esc(h.version)}</span></div>
      <div class="id">${esc(h.host_id)}</div>
      <div>${Object.entries(h.labels || {})
        .filter(([k]) => !k.startsWith('hostcore.'))
        .map(([k, v]) => `<span class="label">${esc(k)}=${esc(v)}</span>`)
        .join('')}</div>
      ${hostFigures(h.host_id)}
      <table><tr><th>component</th><th>image</th><th>max</th></tr>
      ${
        list(h.components)
          .map(
            (c) =>
              `<tr class="component" data-component-id="${esc(c.id)}"><td>${esc(c.id)}</td><td class="mono">${esc(c.image_ref)}</td><td class="num">${esc(c.max_instances)}</td></tr>`,
          )
          .join('') || '<tr><td colspan="3" class="empty">no components</td></tr>'
      }
      <tr><th>provider</th><th colspan="2">image</th></tr>
      ${
        list(h.providers)
          .map(
            (p) =>
              `<tr class="provider" data-provider-id="${esc(p.id)}"><td>${esc(p.id)}</td><td colspan="2" class="mono">${esc(p.image_ref)}</td></tr>`,
          )
          .join('') || '<tr><td colspan="3" class="empty">no providers</td></tr>'
      }
      </table></div>`,
      )
      .join('');
  }
  function renderLinks(links) {
    if (!links.length) return '<div class="empty">no links</div>';
    return `<table><tr><th>source</th><th>target</th><th>interface</th><th>name</th><th>address</th></tr>${links.map((l) => `<tr class="link"><td>${esc(l.source_id)}</td><td>${esc(l.target)}</td><td>${esc(l.wit_namespace)}:${esc(l.wit_package)}/{${esc(list(l.interfaces).join(','))}}</td><td>${esc(l.name)}</td><td>${esc(l.address || '')}</td></tr>`).join('')}</table>`;
  }
  function renderApps(apps) {
    if (!apps.length) return '<div class="empty">no applications (deploy one with <code>weft app deploy</code>)</div>';
    return `<table><tr><th>name</th><th>version</th><th>status</th></tr>${apps.map((a) => `<tr class="app" data-app="${esc(a.name)}"><td>${esc(a.name)}</td><td>${esc(a.version)}</td><td class="status-${esc(a.status)}" title="${esc(a.message)}">${esc(a.status)}</td></tr>`).join('')}</table>`;
  }
  const FIELDS = [
    'component_id',
    'provider_id',
    'max_instances',
    'source_id',
    'target',
    'config_name',
    'count',
    'error',
    'message',
  ];
  function eventDetail(e) {
    const d = e.data || {};
    return FIELDS.filter((k) => d[k] !== undefined)
      .map((k) => `${k}=${esc(typeof d[k] === 'object' ? JSON.stringify(d[k]) : d[k])}`)
      .join(' ');
  }
  const eventLine = (e) =>
    `<div class="event"><span class="t">${esc(String(e.time).slice(11, 19))}</span> ${eventDetail(e)}</div>`;
  function hostName(id) {
    return state.hosts.find((h) => h.host_id === id)?.friendly_name || String(id).slice(0, 8);
  }
  function renderEvents(ev) {
    const r = list(ev.routine);
    $('status-line').innerHTML = r.length
      ? r
          .map(
            (s) =>
              `<div data-routine="${esc(s.source)}"><span class="${s.unhealthy ? 'bad' : 'ok'}">●</span> ${esc(hostName(s.source))}: ${esc(s.heartbeats)} heartbeats, ${esc(s.health_checks)} health checks${s.unhealthy ? `, <span class="bad">${esc(s.unhealthy)} unhealthy</span>` : ''} · last ${esc(String(s.last).slice(11, 19))}</div>`,
          )
          .join('')
      : '<span class="empty">no heartbeats yet</span>';
    $('failures').innerHTML = list(ev.failures)
      .slice(0, 30)
      .map(
        (f) =>
          `<div class="failure" data-kind="${esc(f.kind)}"><b>${esc(f.kind)}</b> <span class="t">${esc(String(f.time).slice(11, 19))}</span> ${esc(hostName(f.source))} ${eventDetail(f)}</div>`,
      )
      .join('');
    const groups = Object.entries(ev.groups || {}).sort((a, b) =>
      String(b[1][0]?.time).localeCompare(String(a[1][0]?.time)),
    );
    const open = new Set([...document.querySelectorAll('#events details[open]')].map((d) => d.dataset.kind));
    $('events').innerHTML =
      groups
        .map(
          ([kind, es]) =>
            `<details data-kind="${esc(kind)}"${open.has(kind) ? ' open' : ''}><summary>${esc(kind)}<span class="n">${esc(es.length)}${es.length >= 50 ? '+' : ''} · last ${esc(String(es[0]?.time).slice(11, 19))}</span></summary>${es.slice(0, 20).map(eventLine).join('')}</details>`,
        )
        .join('') || '<div class="empty">no events yet</div>';
  }
  function render() {
    const s = state;
    $('lattice').textContent = s.lattice;
    $('counts').textContent =
      `${s.hosts.length} hosts · ${s.hosts.reduce((n, h) => n + list(h.components).length, 0)} components · ${s.links.length} links`;
    $('hosts').innerHTML = renderHosts(s.hosts);
    $('links').innerHTML = renderLinks(s.links);
    weft.renderGraph(s.links, s.hosts);
    $('apps').innerHTML = renderApps(s.apps);
    renderEvents(s.events);
  }
  function onTraffic(t) {
    traffic = t || traffic;
    weft.renderTraffic(traffic, $('traffic'));
    $('hosts').innerHTML = renderHosts(state.hosts);
  }
  function onState(s) {
    state = s;
    render();
    if (s.traffic) onTraffic(s.traffic);
  }
  const es = new EventSource('api/stream');
  es.onopen = () => (($('live').className = 'on'), ($('live').textContent = '● live'));
  es.onerror = () => (($('live').className = 'off'), ($('live').textContent = '● reconnecting'));
  es.addEventListener('state', (m) => onState(JSON.parse(m.data)));
  es.addEventListener('traffic', (m) => onTraffic(JSON.parse(m.data)));
  es.addEventListener('event', (m) => {
    const e = JSON.parse(m.data);
    if (e.kind !== 'guest_fault') return; // the others arrive with the state that follows them
    state.events.failures = [e, ...list(state.events.failures)].slice(0, 200);
    renderEvents(state.events);
  });
  addEventListener('resize', () => weft.renderTraffic(traffic, $('traffic')));
})();
