/**
 * Experiment (not part of `npm run bench`): how fast could in-host HTTP be if each guest worker served HTTP itself
 * (its own listener on a shared port, SO_REUSEPORT) instead of the main thread handing every request to a worker?
 * Runs the 7 KB WAT hello with weft's own pieces (transpile cache, WASI imports, request/response path, memory
 * reset) in N workers that listen themselves, then raw Node http, measured the same way in the same run.
 *
 *   node test/bench/experiment-http-in-workers.ts [workers=2]
 */
import { createServer } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { freePort } from '../../lattice/index.ts';
import { TranspileCache } from '../../host/runtime/transpile-cache.ts';
import { GLOBAL_EXPORT_PREFIX } from '../../host/runtime/export-globals.ts';
import { restoreImage } from '../../host/runtime/memory-image.ts';
import { httpHandlerOf, invokeHttp } from '../../host/runtime/http-invoke.ts';
import { anyVersion, wasiImports } from '../../host/runtime/wasi-imports.ts';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import { rawNodeHttp } from './baselines.ts';
import { httpRps } from './measure.ts';

interface Job {
  dir: string;
  modules: Record<string, WebAssembly.Module>;
  port: number;
}

async function serveInWorker(job: Job): Promise<void> {
  const mod = (await import(pathToFileURL(join(job.dir, 'component.js')).href)) as {
    instantiate: (
      get: (n: string) => WebAssembly.Module,
      imports: unknown,
      core: (m: WebAssembly.Module, i: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
    ) => Promise<Record<string, unknown>>;
  };
  const base = await wasiImports({}, () => undefined);
  const imports = anyVersion(base);
  const memories: WebAssembly.Memory[] = [];
  const globals: WebAssembly.Global[] = [];
  const exports = await mod.instantiate(
    (n) => job.modules[n] as WebAssembly.Module,
    imports,
    async (m, i) => {
      const inst = await WebAssembly.instantiate(m, i);
      for (const [k, v] of Object.entries(inst.exports)) {
        if (v instanceof WebAssembly.Memory) memories.push(v);
        else if (v instanceof WebAssembly.Global && k.startsWith(GLOBAL_EXPORT_PREFIX)) globals.push(v);
      }
      return inst;
    },
  );
  const image = memories.map((m) => new Uint8Array(m.buffer.slice(0)));
  const globalValues = globals.map((g) => g.value as unknown);
  const handler = httpHandlerOf(exports);
  // one instance, reset after each request as weft does (the handler is synchronous glue: no overlap)
  const server = createServer((req, res) => {
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
    void invokeHttp(handler, {
      method: req.method ?? 'GET',
      url: `http://${req.headers.host ?? 'x'}${req.url ?? '/'}`,
      headers,
    }).then((out) => {
      memories.forEach((m, i) => restoreImage(m, image[i] as Uint8Array));
      globals.forEach((g, i) => (g.value = globalValues[i]));
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    });
  });
  server.listen({ port: job.port, host: '127.0.0.1', reusePort: true }, () => parentPort?.postMessage('listening'));
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 2);
  const cache = new TranspileCache(await mkdtemp(join(tmpdir(), 'weft-exp-')), 256 * 1024 * 1024);
  const prepared = await cache.prepare(await httpHelloWatComponent());
  const port = await freePort();
  const workers = Array.from(
    { length: n },
    () =>
      new Worker(new URL(import.meta.url), {
        workerData: { dir: prepared.dir, modules: prepared.modules, port } satisfies Job,
      }),
  );
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const url = `http://127.0.0.1:${port}/`;
  await httpRps(url, 32, 2); // warm-up
  const weft = await httpRps(url, 32, 8);
  await Promise.all(workers.map((w) => w.terminate()));
  const raw = await rawNodeHttp('hello from weft\n');
  await httpRps(raw.url, 32, 2);
  const base = await httpRps(raw.url, 32, 8);
  await raw.close();
  console.log(
    `WAT hello served in ${n} workers: ${Math.round(weft.rps)} req/s (errors ${weft.errors + weft.non2xx}); raw Node http ${Math.round(base.rps)} req/s; ratio ${(weft.rps / base.rps).toFixed(2)}×`,
  );
}

if (isMainThread) await main();
else await serveInWorker(workerData as Job);
