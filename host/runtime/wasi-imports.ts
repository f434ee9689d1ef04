/**
 * WASI for guests, from preview2-shim's pure-JS (browser) implementation: no filesystem preopens, environment only
 * from config, stdout/stderr lines handed to a callback (the host logs them tagged with the component id).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unversioned } from '../../lattice/pure.ts';
import { GuestLogLimiter, GuestLogLimits } from './guest-log-limit.ts';

type Shim = Record<string, Record<string, unknown>>;
let shim: Promise<Shim> | undefined;

async function loadShim(): Promise<Shim> {
  // the package's "node" export is the io-worker based shim; the pure-JS one lives beside it in dist/browser
  const base = join(
    dirname(createRequire(import.meta.url).resolve('@bytecodealliance/preview2-shim')),
    '..',
    'browser',
  );
  const load = (n: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(join(base, `${n}.js`)).href) as Promise<Record<string, unknown>>;
  const [cli, clocks, filesystem, io, random, http] = await Promise.all(
    ['cli', 'clocks', 'filesystem', 'io', 'random', 'http'].map(load),
  );
  (filesystem?.['_setPreopens'] as ((p: Record<string, unknown>) => void) | undefined)?.({});
  return {
    cli: cli ?? {},
    clocks: clocks ?? {},
    filesystem: filesystem ?? {},
    io: io ?? {},
    random: random ?? {},
    http: http ?? {},
  };
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

/**
 * A guest output stream cut into lines for `sink`: a line longer than `GuestLogLimits.maxLineChars` goes out cut at that
 * size (the rest of it, up to the next newline, is dropped), so the buffer never grows with what the guest writes
 * without a newline; lines past the instance's budget are dropped here, before they cost a message to the main thread
 * (which limits each component again, strips control characters and warns with the count).
 */
function lineStream(
  io: Record<string, unknown>,
  stream: 'stdout' | 'stderr',
  sink: LineSink,
  limiter: GuestLogLimiter,
): () => unknown {
  const decoder = new TextDecoder();
  const max = GuestLogLimits.maxLineChars;
  let pending = '';
  let skipping = false;
  const emit = (line: string): void => {
    const dropped = limiter.take(stream);
    if (dropped === false) return;
    if (dropped > 0)
      sink(
        stream,
        `[weft] ${dropped} ${stream} lines of this instance were dropped (over ${limiter.linesPerSecond} lines/s)`,
      );
    sink(stream, line);
  };
  const push = (text: string): void => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) {
      if (skipping) skipping = false;
      else emit(l.endsWith('\r') ? l.slice(0, -1) : l);
    }
    if (skipping) pending = '';
    else if (pending.length > max) {
      emit(`${pending.slice(0, max)}…[line cut at ${max} characters]`);
      pending = '';
      skipping = true;
    }
  };
  const flush = (): void => {
    push(decoder.decode());
    if (pending && !skipping) emit(pending);
    pending = '';
    skipping = false;
  };
  const handler = {
    write(buf: Uint8Array) {
      push(decoder.decode(buf, { stream: true }));
    },
    flush,
    blockingFlush: flush,
    drop: flush,
  };
  // a stream resource per `get-stdout` (one the guest dropped is closed for good), all writing to the same lines
  return () => (io['outputStreamCreate'] as (h: unknown) => unknown)(handler);
}

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
  const [cli, clocks, filesystem, io, random, http] = ['cli', 'clocks', 'filesystem', 'io', 'random', 'http'].map(
    (k) => s[k] ?? {},
  ) as [
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
  // per instance, generous: the main thread applies the per-component rate
  const limiter = new GuestLogLimiter({
    linesPerSecond: 10 * GuestLogLimits.linesPerSecond,
    burst: 10 * GuestLogLimits.burst,
  });
  const stdout = lineStream(io, 'stdout', sink, limiter);
  const stderr = lineStream(io, 'stderr', sink, limiter);
  return {
    'wasi:cli/environment': environment,
    'wasi:cli/exit': cli['exit'],
    'wasi:cli/stdin': cli['stdin'],
    'wasi:cli/stdout': { getStdout: stdout },
    'wasi:cli/stderr': { getStderr: stderr },
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
