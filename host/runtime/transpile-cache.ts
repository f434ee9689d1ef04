import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unversioned, wasmKindOf } from '../../lattice/pure.ts';
import { parseDts } from './dts-types.ts';
import { ComponentError, ComponentErrorCode } from './errors.ts';
import { capMemory } from './memory-cap.ts';
import { exportGlobals } from './export-globals.ts';
import { TRANSPILE_CACHE_MARKER } from '../workloads/provider-file.ts';

/** What the cache keeps per digest, besides the transpiled files. */
export interface ComponentMeta {
  digest: string;
  /** JSPI bindings (the component has imports the host serves asynchronously, or worker imports that may wait). */
  jspi: boolean;
  /** Worker-served imports of this component that may wait (`iface#func`, unversioned). */
  asyncWasi: string[];
  /** Imported non-WASI interfaces and their functions (WIT names), served by the host. */
  hostImports: { iface: string; funcs: string[]; file: string }[];
  /** Exported interfaces: WIT name (with version) → d.ts file; `''` = the world's root functions. */
  exports: Record<string, string>;
}

/** A component ready to instantiate: its directory, metadata and compiled core modules. */
export interface PreparedComponent {
  digest: string;
  dir: string;
  meta: ComponentMeta;
  modules: Record<string, WebAssembly.Module>;
}

const kebab = (s: string): string =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
// served inside the guest worker (no host call): WASI from preview2-shim, and wasmcloud:bus (link names per invocation)
const servedInWorker = (iface: string): boolean =>
  iface.startsWith('wasmcloud:bus/') ||
  iface.startsWith('wasi:http/') ||
  iface.startsWith('wasi:cli/') ||
  iface.startsWith('wasi:io/') ||
  iface.startsWith('wasi:clocks/') ||
  iface.startsWith('wasi:random/') ||
  iface.startsWith('wasi:filesystem/') ||
  iface.startsWith('wasi:sockets/');

/**
 * Worker-served imports that may return a promise (a pollable or input stream waiting for a timer, a request body
 * or an outgoing response): JSPI suspends the guest on them. Output streams never wait in weft (stdout and HTTP
 * bodies take every write at once), so a component that imports none of these runs without JSPI, which is cheaper.
 */
const ASYNC_WASI_IMPORTS = new Set([
  'wasi:io/poll#poll',
  'wasi:io/poll#[method]pollable.block',
  'wasi:io/streams#[method]input-stream.blocking-read',
  'wasi:io/streams#[method]input-stream.blocking-skip',
  'wasi:io/streams#[method]output-stream.blocking-splice',
  'wasi:http/outgoing-handler#handle',
]);

/** Version of the cache's on-disk layout and transpile options: a change re-transpiles instead of loading stale glue. */
const CACHE_LAYOUT = 'v4';

/** Counters that tests read to prove cache hits (no timing involved). */
export const cacheStats = { transpiles: 0, diskHits: 0, memoryHits: 0 };

/**
 * Transpiles components with jco once per sha256 digest, keeps the output on disk under `{cacheDir}/{digest}` and
 * the compiled core modules in memory, capped to the linear-memory limit.
 */
export class TranspileCache {
  readonly #dir: string;
  readonly #maxMemory: number;
  readonly #mem = new Map<string, Promise<PreparedComponent>>();

  /** @throws {ComponentError} COMP_CACHE_UNSAFE when group or others can write `cacheDir` (it holds code the host runs). */
  constructor(cacheDir: string, maxLinearMemoryBytes: number) {
    this.#dir = cacheDir;
    this.#maxMemory = maxLinearMemoryBytes;
    ensurePrivateDir(cacheDir);
  }

  /**
   * @throws {ComponentError} COMP_NOT_A_COMPONENT for anything but a Wasm component; COMP_TRANSPILE when jco fails.
   */
  prepare(bytes: Uint8Array): Promise<PreparedComponent> {
    const kind = wasmKindOf(bytes);
    if (kind !== 'component') {
      const what =
        kind === 'module' ? 'a core Wasm module, not a component' : 'not a Wasm component (bad magic or version)';
      return Promise.reject(
        new ComponentError(
          ComponentErrorCode.NotAComponent,
          `the artifact is ${what}; build it as a component (e.g. \`weft build\`)`,
        ),
      );
    }
    const digest = createHash('sha256').update(bytes).digest('hex');
    const hit = this.#mem.get(digest);
    if (hit) {
      cacheStats.memoryHits++;
      return hit;
    }
    const p = this.#load(digest, bytes);
    this.#mem.set(digest, p);
    p.catch(() => this.#mem.delete(digest));
    return p;
  }

  async #load(digest: string, bytes: Uint8Array): Promise<PreparedComponent> {
    const dir = join(this.#dir, `${digest}.${CACHE_LAYOUT}`);
    let meta: ComponentMeta;
    if (existsSync(join(dir, 'meta.json'))) {
      cacheStats.diskHits++;
      meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as ComponentMeta;
    } else {
      meta = await this.#transpile(digest, bytes, dir);
    }
    const modules: Record<string, WebAssembly.Module> = {};
    for (const name of await coreNames(dir)) {
      try {
        modules[name] = await WebAssembly.compile(
          exportGlobals(
            capMemory(new Uint8Array(await readFile(join(dir, name))), this.#maxMemory),
          ) as Uint8Array<ArrayBuffer>,
        );
      } catch (err) {
        const code = err instanceof RangeError ? ComponentErrorCode.MemoryLimit : ComponentErrorCode.Transpile;
        throw new ComponentError(code, `cannot compile ${name}: ${(err as Error).message}`, { cause: err });
      }
    }
    return { digest, dir, meta, modules };
  }

  async #transpile(digest: string, bytes: Uint8Array, dir: string): Promise<ComponentMeta> {
    cacheStats.transpiles++;
    let files: Record<string, Uint8Array>;
    let meta: ComponentMeta;
    try {
      // jco (~30 MB) loads on the first cache miss, not with every host
      const { transpile } = await import('@bytecodealliance/jco');
      const first = (await transpile(bytes, { name: 'component', instantiation: 'async', noTypescript: false })).files;
      meta = describe(digest, first);
      files = meta.jspi
        ? (
            await transpile(bytes, {
              name: 'component',
              instantiation: 'async',
              asyncMode: 'jspi',
              asyncImports: [
                ...meta.asyncWasi,
                ...meta.hostImports.flatMap((h) => h.funcs.map((f) => `${h.iface}#${f}`)),
              ],
              asyncExports: ['*'],
            })
          ).files
        : first;
    } catch (err) {
      throw new ComponentError(
        ComponentErrorCode.Transpile,
        `jco could not transpile the component: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    for (const [name, data] of Object.entries(files)) {
      await mkdir(join(tmp, name, '..'), { recursive: true });
      await writeFile(join(tmp, name), name === 'component.js' ? quietGlue(data) : data);
    }
    await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta));
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir).catch(async () => rm(tmp, { recursive: true, force: true })); // another process won the race
    return meta;
  }
}

/**
 * Creates the cache directory 0700 and refuses one that group or others may write, or that another user owns: whoever
 * writes there has the host run their JavaScript. Marks it so that no provider process starts from inside it.
 */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  const uid = process.getuid?.();
  if (st.mode & 0o022 || (uid !== undefined && st.uid !== uid && st.uid !== 0)) {
    throw new ComponentError(
      ComponentErrorCode.CacheUnsafe,
      `the transpile cache ${dir} (mode ${(st.mode & 0o777).toString(8)}) is writable by group or others or owned by another user, and the host runs the code it holds: run \`chmod 700 ${dir}\` or pass --cache-dir with a directory only you can write`,
    );
  }
  if (!existsSync(join(dir, TRANSPILE_CACHE_MARKER)))
    writeFileSync(join(dir, TRANSPILE_CACHE_MARKER), 'weft transpile cache: code the host runs; keep it 0700\n', {
      mode: 0o600,
    });
}

/**
 * jco's glue calls `_debugLog(...)` on every task step, and each call reads `process.env.JCO_DEBUG` (a getenv in Node)
 * and builds its arguments: about a third of a small HTTP handler's JS time. The logger becomes a no-op the JIT
 * removes, unless JCO_DEBUG is set when the component is transpiled.
 */
function quietGlue(js: Uint8Array): Uint8Array {
  if (process.env['JCO_DEBUG']) return js;
  const text = new TextDecoder().decode(js);
  const quiet = text.replace(
    /const _debugLog = \(\.\.\.args\) => \{\n\s*if \(!globalThis\?\.process\?\.env\?\.JCO_DEBUG\) \{ return; \}\n\s*console\.debug\(\.\.\.args\);\n\s*\};/,
    'const _debugLog = () => {};',
  );
  return quiet === text ? js : new TextEncoder().encode(quiet);
}

async function coreNames(dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(dir)).filter((n) => n.endsWith('.wasm'));
}

/** Reads imports and exports from jco's declarations. */
function describe(digest: string, files: Record<string, Uint8Array>): ComponentMeta {
  const text = (name: string): string => new TextDecoder().decode(files[name] ?? new Uint8Array());
  const world = text('component.d.ts');
  const ifaceFile = new Map<string, string>(); // alias → file
  const ifaceName = new Map<string, string>(); // alias → WIT name
  for (const m of world.matchAll(/import type \* as (\w+) from '\.\/(interfaces\/[^']+)\.js'; \/\/ (\S+)/g)) {
    ifaceFile.set(m[1] ?? '', `${m[2]}.d.ts`);
    ifaceName.set(m[1] ?? '', m[3] ?? '');
  }
  const block = (name: string): string =>
    new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(world)?.[1] ?? '';
  const hostImports: ComponentMeta['hostImports'] = [];
  const asyncWasi: string[] = [];
  for (const m of block('ImportObject').matchAll(/'([^']+)': typeof (\w+)/g)) {
    const iface = m[1] ?? '';
    const dts = text(ifaceFile.get(m[2] ?? '') ?? '');
    if (servedInWorker(iface)) {
      // jco declares only the functions the component imports: note those that may wait
      for (const f of importedFuncs(dts))
        if (ASYNC_WASI_IMPORTS.has(`${unversioned(iface)}#${f}`)) asyncWasi.push(`${unversioned(iface)}#${f}`);
      continue;
    }
    hostImports.push({ iface: unversioned(iface), funcs: importedFuncs(dts), file: ifaceFile.get(m[2] ?? '') ?? '' });
  }
  const exports: Record<string, string> = { '': 'component.d.ts' };
  for (const m of block('Root').matchAll(/'([^']+)': typeof (\w+)/g))
    exports[m[1] ?? ''] = ifaceFile.get(m[2] ?? '') ?? '';
  return { digest, jspi: hostImports.length > 0 || asyncWasi.length > 0, asyncWasi, hostImports, exports };
}

/** An interface's functions as jco declares them, in WIT names (`get`, `[method]bucket.get`, `[constructor]fields`). */
function importedFuncs(dts: string): string[] {
  const funcs = [...parseDts(dts).funcs.keys()].map(kebab);
  for (const c of dts.matchAll(/export class (\w+) \{([\s\S]*?)\n\}/g)) {
    const res = kebab(c[1] ?? '');
    for (const mm of (c[2] ?? '').matchAll(/^\s*(static )?(\w+)\(/gm)) {
      const name = mm[2] ?? '';
      if (name === 'constructor') funcs.push(`[constructor]${res}`);
      else funcs.push(`${mm[1] ? '[static]' : '[method]'}${res}.${kebab(name)}`);
    }
  }
  return funcs;
}
