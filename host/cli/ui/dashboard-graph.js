// The link graph, laid out by dagre (layered, left to right: HTTP servers first, then components, then what they
// call): components and providers as nodes, links as labelled edges (interface, link name, an HTTP server's
// address); a click on a node shows its details. Every text from the lattice goes through weft.esc().
/* global dagre */
(function () {
  const weft = (window.weft = window.weft || {});
  const esc = (s) => weft.esc(s);
  const list = (v) => (Array.isArray(v) ? v : []);
  let selected;
  let last = { links: [], hosts: [] };

  /** What the lattice knows of each node: kind, and where it runs with what. */
  function nodesOf(links, hosts) {
    const nodes = new Map();
    const node = (id) => nodes.get(id) || (nodes.set(id, { id, kind: 'missing', on: [] }), nodes.get(id));
    for (const h of hosts) {
      for (const c of list(h.components)) Object.assign(node(c.id), { kind: 'component' }).on.push({ host: h, c });
      for (const p of list(h.providers)) Object.assign(node(p.id), { kind: 'provider' }).on.push({ host: h, p });
    }
    for (const l of links) (node(l.source_id), node(l.target));
    return nodes;
  }

  const textW = (s, px = 7) => String(s).length * px;
  const ifaceOf = (l) => `${l.wit_namespace}:${l.wit_package}/${list(l.interfaces).join(',')}`;

  weft.renderGraph = function (links, hosts) {
    last = { links, hosts };
    const svg = document.getElementById('graph');
    const nodes = nodesOf(links, hosts);
    if (!nodes.size) {
      svg.setAttribute('height', '40');
      svg.innerHTML = '<text x="8" y="24" class="sub">no components, providers or links yet</text>';
      return;
    }
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 26, ranksep: 70, edgesep: 16, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of nodes.values()) {
      const sub =
        n.kind === 'missing' ? 'not running' : `${n.kind} · ${n.on.length} host${n.on.length === 1 ? '' : 's'}`;
      g.setNode(n.id, { width: Math.max(textW(n.id, 7.5), textW(sub, 6)) + 28, height: 40, n, sub });
    }
    links.forEach((l, i) => {
      const lines = [ifaceOf(l), `link ${l.name || 'default'}`, ...(l.address ? [`http://${l.address}`] : [])];
      g.setEdge(
        l.source_id,
        l.target,
        {
          l,
          lines,
          width: Math.max(...lines.map((x) => textW(x, 6.3))) + 14,
          height: lines.length * 14 + 8,
          labelpos: 'c',
        },
        `e${i}`,
      );
    });
    dagre.layout(g);
    const { width, height } = g.graph();
    svg.setAttribute('height', String(Math.ceil(height)));
    svg.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
    svg.style.maxWidth = `${Math.ceil(width)}px`;
    const out = [
      '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ];
    for (const e of g.edges()) {
      const d = g.edge(e);
      const pts = d.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`);
      out.push(
        `<path class="edge" data-link="${esc(e.v)}->${esc(e.w)}" marker-end="url(#arrow)" d="M${pts.join(' L')}"/>`,
      );
    }
    for (const v of g.nodes()) {
      const d = g.node(v);
      const x = d.x - d.width / 2,
        y = d.y - d.height / 2;
      out.push(
        `<g class="node ${esc(d.n.kind)}${selected === v ? ' selected' : ''}" data-node="${esc(v)}"><rect x="${x}" y="${y}" rx="6" width="${d.width}" height="${d.height}"/><text x="${x + 12}" y="${y + 17}">${esc(v)}</text><text class="sub" x="${x + 12}" y="${y + 31}">${esc(d.sub)}</text></g>`,
      );
    }
    // labels last, so no box hides them
    for (const e of g.edges()) {
      const d = g.edge(e);
      const x = d.x - d.width / 2,
        y = d.y - d.height / 2;
      const texts = d.lines.map(
        (t, i) =>
          `<text x="${x + 7}" y="${y + 15 + i * 14}"${i === 2 ? ' class="addr"' : i === 1 ? ' class="sub"' : ''}>${esc(t)}</text>`,
      );
      out.push(
        `<g class="edge-label"><rect x="${x}" y="${y}" rx="4" width="${d.width}" height="${d.height}"/>${texts.join('')}</g>`,
      );
    }
    svg.innerHTML = out.join('');
    if (selected) showDetails(selected, nodes);
  };

  function showDetails(id, nodes) {
    const box = document.getElementById('details');
    const n = nodes.get(id);
    if (!n) return void ((box.className = 'empty'), (box.textContent = 'no node selected'));
    box.className = '';
    const dl = (k, v) => `<dt>${esc(k)}</dt><dd>${v}</dd>`;
    const c0 = n.on.find((o) => o.c)?.c;
    const p0 = n.on.find((o) => o.p)?.p;
    const item = c0 || p0 || {};
    const rows = [dl('kind', esc(n.kind)), dl('image', `<code>${esc(item.image_ref || '–')}</code>`)];
    if (n.kind === 'component') {
      rows.push(dl('digest', `<code>${item.digest ? 'sha256:' + esc(item.digest) : '–'}</code>`));
      rows.push(dl('claims issuer', `<code>${esc(item.issuer || 'unsigned')}</code>`));
      rows.push(
        dl(
          'caps',
          list(item.caps)
            .map((c) => `<code>${esc(c)}</code>`)
            .join(', ') || (item.issuer ? 'none listed' : '–'),
        ),
      );
      rows.push(
        dl(
          'config (names)',
          list(item.config)
            .map((c) => `<code>${esc(c)}</code>`)
            .join(', ') || 'none',
        ),
      );
    }
    rows.push(
      dl(
        'instances per host',
        n.on.map((o) => `${esc(o.host.friendly_name)}: ${o.c ? esc(o.c.max_instances) : 'running'}`).join('<br>') ||
          'not running',
      ),
    );
    const ln = last.links.filter((l) => l.source_id === id || l.target === id);
    rows.push(
      dl(
        'links',
        ln
          .map(
            (l) =>
              `${esc(l.source_id)} → ${esc(l.target)} <span class="dim">${esc(ifaceOf(l))} (${esc(l.name)})</span>`,
          )
          .join('<br>') || 'none',
      ),
    );
    box.innerHTML = `<h3 data-details="${esc(id)}">${esc(id)}</h3><dl>${rows.join('')}</dl>`;
  }

  document.addEventListener('click', (ev) => {
    const g = ev.target.closest && ev.target.closest('#graph .node');
    if (!g) return;
    selected = g.dataset.node;
    weft.renderGraph(last.links, last.hosts);
  });
})();
