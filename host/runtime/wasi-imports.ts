/**
 * WASI for guests, from preview2-shim's pure-JS (browser) implementation: no filesystem preopens, environment only
 * from config, stdout/stderr lines handed to a callback (the host logs them tagged with the component id).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Shim = Record<string, Record<string, unknown>>;
let shim: Promise<Shim> | undefined;

async function loadShim(): Promise<Shim> {
  // the package's "node" export is the io-worker based shim; the pure-JS one lives beside it in dist/browser
  const base = join(dirname(createRequire(import.meta.url).resolve('@bytecodealliance/preview2-shim')), '..', 'browser');
  const load = (n: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(base, `${n}.js`)).href) as Promise<Record<string, unknown>>;
  const [cli, clocks, filesystem, io, random, http] = await Promise.all(['cli', 'clocks', 'filesystem', 'io', 'random', 'http'].map(load));
  (filesystem?.['_setPreopens'] as ((p: Record<string, unknown>) => void) | undefined)?.({});
  return { cli: cli ?? {}, clocks: clocks ?? {}, filesystem: filesystem ?? {}, io: io ?? {}, random: random ?? {}, http: http ?? {} };
}

/** preview2-shim's http module: `handleIncomingRequest(Request, handler)`, `outgoingHandler`, `types`. */
export async function httpShim(): Promise<Record<string, unknown>> {
  return (await (shim ??= loadShim()))['http'] ?? {};
}

/** preview2-shim's io module: `inputStreamCreate`, `outputStreamCreate`, `pollableCreate`, `streams`. */
export async function ioShim(): Promise<Record<string, unknown>> {
  return (await (shim ??= loadShim()))['io'] ?? {};
}

/** Line sink for a guest's stdout or stderr. */
export type LineSink = (stream: 'stdout' | 'stderr', line: string) => void;

function lineStream(io: Record<string, unknown>, stream: 'stdout' | 'stderr', sink: LineSink): unknown {
  const decoder = new TextDecoder();
  let pending = '';
  const flush = (): void => {
    pending += decoder.decode();
    if (pending) sink(stream, pending);
    pending = '';
  };
  return (io['outputStreamCreate'] as (h: unknown) => unknown)({
    write(buf: Uint8Array) {
      pending += decoder.decode(buf, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) sink(stream, l.endsWith('\r') ? l.slice(0, -1) : l);
    },
    flush,
    blockingFlush: flush,
    drop: flush,
  });
}

/** Strips a version from an import key: `wasi:cli/stdout@0.2.3` → `wasi:cli/stdout`. */
export const unversioned = (k: string): string => k.replace(/@[^/]*$/, '');

/** An import object that answers `ns:pkg/iface@x.y.z` (jco's keys) with its entry for the unversioned `ns:pkg/iface`. */
export function anyVersion(imports: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(imports, {
    get: (t, k) => (typeof k === 'string' ? t[unversioned(k)] : undefined),
    has: (t, k) => typeof k === 'string' && unversioned(k) in t,
  });
}

/** WASI import objects (unversioned keys) for one instance. */
export async function wasiImports(env: Record<string, string>, sink: LineSink): Promise<Record<string, unknown>> {
  const s = await (shim ??= loadShim());
  const [cli, clocks, filesystem, io, random, http] = ['cli', 'clocks', 'filesystem', 'io', 'random', 'http'].map((k) => s[k] ?? {}) as [
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>,
  ];
  const environment = {
    getEnvironment: () => Object.entries(env),
    getArguments: () => [],
    initialCwd: () => undefined,
  };
  const stdout = lineStream(io, 'stdout', sink);
  const stderr = lineStream(io, 'stderr', sink);
  return {
    'wasi:cli/environment': environment,
    'wasi:cli/exit': cli['exit'],
    'wasi:cli/stdin': cli['stdin'],
    'wasi:cli/stdout': { getStdout: () => stdout },
    'wasi:cli/stderr': { getStderr: () => stderr },
    'wasi:cli/terminal-input': cli['terminalInput'],
    'wasi:cli/terminal-output': cli['terminalOutput'],
    'wasi:cli/terminal-stdin': cli['terminalStdin'],
    'wasi:cli/terminal-stdout': cli['terminalStdout'],
    'wasi:cli/terminal-stderr': cli['terminalStderr'],
    'wasi:clocks/monotonic-clock': clocks['monotonicClock'],
    'wasi:clocks/wall-clock': clocks['wallClock'],
    'wasi:filesystem/types': filesystem['types'],
    'wasi:filesystem/preopens': filesystem['preopens'],
    'wasi:io/error': io['error'],
    'wasi:io/poll': io['poll'],
    'wasi:io/streams': io['streams'],
    'wasi:random/random': random['random'],
    'wasi:random/insecure': random['insecure'],
    'wasi:random/insecure-seed': random['insecureSeed'],
    'wasi:http/types': http['types'],
    // wasi:http/outgoing-handler is served by http-outgoing.ts, through the linked http-client provider
  };
}
