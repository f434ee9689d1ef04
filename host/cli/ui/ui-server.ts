import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { CtlClient } from '../../../lattice/index.ts';
import type { WadmClient } from '../../../lattice/apps/index.ts';
import { dropBadInput } from '../../../lattice/index.ts';
import { refuseForeignHost } from '../../admin/admin-server.ts';
import { LatticeView } from './lattice-view.ts';
import type { AppView } from './lattice-view.ts';
import { wadmApps } from './wadm-apps.ts';

const PAGE = readFileSync(new URL('./dashboard.html', import.meta.url));
const own = (file: string): (() => Buffer) => {
  const body = readFileSync(new URL(`./${file}`, import.meta.url));
  return () => body;
};

/** A file of an installed package (read once, when first asked for): the page's libraries come from node_modules. */
function packageFile(pkg: string, file: string): () => Buffer {
  let cached: Buffer | undefined;
  return () =>
    (cached ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), file)));
}

/** What the page loads besides itself: its script and style, uPlot and dagre, all from this machine. */
const ASSETS: Record<string, { type: string; body: () => Buffer }> = {
  '/dashboard.js': { type: 'text/javascript', body: own('dashboard.js') },
  '/dashboard-charts.js': { type: 'text/javascript', body: own('dashboard-charts.js') },
  '/dashboard-graph.js': { type: 'text/javascript', body: own('dashboard-graph.js') },
  '/dashboard.css': { type: 'text/css', body: own('dashboard.css') },
  '/vendor/uplot.js': { type: 'text/javascript', body: packageFile('uplot', 'dist/uPlot.iife.min.js') },
  '/vendor/uplot.css': { type: 'text/css', body: packageFile('uplot', 'dist/uPlot.min.css') },
  '/vendor/dagre.js': { type: 'text/javascript', body: packageFile('@dagrejs/dagre', 'dist/dagre.min.js') },
};
const SECURITY_HEADERS = {
  // nothing from outside this server, no inline script: a field that escaped escaping still cannot run
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'",
  'x-content-type-options': 'nosniff',
};

/** A running dashboard. */
export interface UiServer {
  url: string;
  view: LatticeView;
  close(): Promise<void>;
}

/**
 * Serves the web dashboard: `/` (the page), `/api/state` (a snapshot) and `/api/stream` (server-sent events:
 * `state` after every change, `event` for each lattice event), so the page updates without reloading.
 */
export async function startUiServer(
  ctl: CtlClient,
  port: number,
  host = '127.0.0.1',
  wadm: WadmClient = ctl.wadm(1000),
  apps: () => Promise<AppView[]> = wadmApps(wadm),
): Promise<UiServer> {
  const view = new LatticeView(ctl, apps, wadm);
  await view.start();
  const clients = new Set<ServerResponse>();
  view.subscribe((kind, payload) => {
    const frame = `event: ${kind}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of clients) c.write(frame);
  });
  const server: Server = createServer((req, res) => {
    if (refuseForeignHost(req, res, host)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html')
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS }).end(PAGE);
    const asset = ASSETS[path ?? ''];
    if (asset)
      return void res
        .writeHead(200, {
          'content-type': `${asset.type}; charset=utf-8`,
          'cache-control': 'max-age=300',
          ...SECURITY_HEADERS,
        })
        .end(asset.body());
    if (path === '/api/state')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(view.snapshot()));
    if (path === '/api/stream') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(`event: state\ndata: ${JSON.stringify(view.snapshot())}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const a = server.address();
  const url = `http://${host}:${typeof a === 'object' && a ? a.port : port}/`;
  const refresh = setInterval(
    () => void view.refresh().catch((err: unknown) => dropBadInput('dashboard refresh', err)),
    15_000,
  );
  refresh.unref();
  return {
    url,
    view,
    close: async () => {
      clearInterval(refresh);
      view.stop();
      for (const c of clients) c.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
