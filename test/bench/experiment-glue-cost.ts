/**
 * Experiment (not part of `npm run bench`): what jco's generated bindings cost per call, on one thread, with no
 * host around them: the 7 KB WAT `wasi:http` hello through weft's HTTP request path, and `adder`'s `add`, from
 * weft's transpile cache (quiet, sync glue), instantiated once and called in a loop.
 *
 *   node test/bench/experiment-glue-cost.ts
 *
 * Measured on the 2-core test machine (2026-11-30): 24-32 µs per HTTP request, 0.7-2.4 µs per `add` (0.5 µs for
 * the bare export); a raw Node http server spends ~22 µs of CPU on a whole request (1 / 45k req/s). In the
 * profile, the HTTP request's time is jco's per-import task machinery (`_lowerImportBackwardsCompat`, `AsyncTask`,
 * `createSubtask`, `onResolve`) and the garbage it makes: each of the handler's ~10 resource calls makes a subtask.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findExport } from '../../host/runtime/export-lookup.ts';
import { httpHandlerOf, invokeHttp } from '../../host/runtime/http-invoke.ts';
import { TranspileCache } from '../../host/runtime/transpile-cache.ts';
import type { PreparedComponent } from '../../host/runtime/transpile-cache.ts';
import { fromJson, toJson } from '../../host/runtime/value-map.ts';
import { anyVersion, wasiImports } from '../../host/runtime/wasi-imports.ts';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import { fixture } from '../helpers/index.ts';

async function instantiate(p: PreparedComponent): Promise<Record<string, unknown>> {
  const mod = (await import(pathToFileURL(join(p.dir, 'component.js')).href)) as {
    instantiate: (get: (n: string) => WebAssembly.Module, imports: unknown) => Promise<Record<string, unknown>>;
  };
  const base = await wasiImports({}, () => undefined);
  const imports = anyVersion(base);
  return mod.instantiate((n) => p.modules[n] as WebAssembly.Module, imports);
}

async function perCall(label: string, n: number, fn: () => unknown): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    console.log(`${label}: ${(((performance.now() - t0) * 1000) / n).toFixed(2)} µs per call`);
  }
}

const cache = new TranspileCache(await mkdtemp(join(tmpdir(), 'weft-glue-')), 256 * 1024 * 1024);
const hello = await cache.prepare(await httpHelloWatComponent());
const handler = httpHandlerOf(await instantiate(hello));
const req = { method: 'GET', url: 'http://localhost/', headers: [['host', 'localhost']] as [string, string][] };
await perCall('WAT wasi:http hello, one request', 20_000, () => invokeHttp(handler, req));

const adder = await cache.prepare(new Uint8Array(await readFile(fixture('adder.component.wasm'))));
const { fn, decl, dts } = findExport(
  { meta: adder.meta, dir: adder.dir, dts: new Map() },
  await instantiate(adder),
  'docs:adder/add.add',
);
const lookup = (name: string) => dts.types.get(name);
await perCall('adder add(2, 3) with value mapping', 50_000, async () =>
  toJson(await fn(...decl.params.map((p, i) => fromJson([2, 3][i], p.type, lookup, p.name)))),
);
await perCall('adder add(2, 3), bare export', 50_000, () => fn(2, 3));
