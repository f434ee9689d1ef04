/**
 * Guest worker, instances: what a worker knows of each component (compiled modules and glue, spare instances) and
 * how an instance is made, reset after a clean return, or replaced.
 */
import { ComponentError, ComponentErrorCode } from './errors.ts';
import type { DtsModule } from './dts-types.ts';
import { camel, dtsOf } from './export-lookup.ts';
import { fromJson, toJson } from './value-map.ts';
import { anyVersion, wasiImports } from './wasi-imports.ts';
import { busImports, keyvalueImports } from './capability-imports.ts';
import { outgoingHandlerImports } from './http-outgoing.ts';
import { secretsImports } from './secrets-imports.ts';
import { GLOBAL_EXPORT_PREFIX } from './export-globals.ts';
import { restoreImage } from './memory-image.ts';
import { callHost, post, underInstantiateDeadline } from './worker-host-calls.ts';
import type { InstanceCtx } from './worker-host-calls.ts';
import type { ComponentMeta } from './transpile-cache.ts';

export interface Loaded {
  meta: ComponentMeta;
  dir: string;
  modules: Record<string, WebAssembly.Module>;
  instantiate: (
    get: (n: string) => WebAssembly.Module,
    imports: unknown,
    core?: (m: WebAssembly.Module, i: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
  ) => unknown;
  dts: Map<string, DtsModule>;
  /** Linear memories right after the first instantiation (for resetting instances of import-less components). */
  pristine?: Uint8Array[];
}
export interface Instance {
  exports: Record<string, unknown>;
  ctx: InstanceCtx;
  /** Linear memories and their contents right after instantiation, for a reset instead of a re-instantiation. */
  snapshot?: { mem: WebAssembly.Memory; bytes: Uint8Array }[];
  /** Mutable globals (exported as `weft:global:N` at compile time) and their values right after instantiation. */
  globals?: { g: WebAssembly.Global; value: unknown }[];
  /** Times this instance was reset; it is replaced after {@link MAX_RESETS} (bounds JS-side handles a guest leaks). */
  resets: number;
  /** Its linear memories (for the memory-per-component metric). */
  memories: WebAssembly.Memory[];
}
export interface Comp {
  cid: string;
  digest: string;
  env: Record<string, string>;
  stateful: boolean;
  /** Every instance alive (spare, in use or kept), for the memory metric. */
  live: Set<Instance>;
  /** The one instance a stateful component keeps between calls. */
  sticky?: Promise<Instance>;
  spares: Promise<Instance>[];
  spareTarget: number;
}

const MAX_RESETS = 1000;

/** Compiled components of this worker, per digest, and the components it runs, per id. */
export const loaded = new Map<string, Loaded>();
export const comps = new Map<string, Comp>();

/**
 * Resets an instance to its just-instantiated state by restoring its linear memories and mutable globals, after a
 * call that returned cleanly (nothing suspended, every handle of the call dropped or left to the instance's JS
 * tables, which MAX_RESETS bounds); a memory that grew cannot be reset, and the instance is replaced instead.
 */
function reset(inst: Instance): boolean {
  if (!inst.snapshot) return false;
  for (const { mem, bytes } of inst.snapshot) if (mem.buffer.byteLength !== bytes.byteLength) return false;
  for (const { mem, bytes } of inst.snapshot) restoreImage(mem, bytes);
  for (const { g, value } of inst.globals ?? []) g.value = value;
  return true;
}

function hostImports(cid: string, l: Loaded, ctx: InstanceCtx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (l.meta.hostImports.some((h) => h.iface.startsWith('wasi:keyvalue/')))
    Object.assign(
      out,
      keyvalueImports((iface, func, args) => callHost(cid, ctx, iface, func, args)),
    );
  for (const { iface, funcs, file } of l.meta.hostImports) {
    if (iface.startsWith('wasi:keyvalue/')) continue;
    const obj: Record<string, unknown> = {};
    const dts = file ? dtsOf(l, file) : undefined;
    for (const f of funcs) {
      if (f.startsWith('[')) continue; // resources are served by capability shims
      const decl = dts?.funcs.get(camel(f));
      // the answer is plain JSON-like data: map it to what this guest's bindings expect
      const typed = (v: unknown): unknown => (decl && dts ? fromJson(v, decl.result, (n) => dts.types.get(n)) : v);
      obj[camel(f)] = (...args: unknown[]) => callHost(cid, ctx, iface, f, args.map(toJson), typed);
    }
    out[iface] = obj;
  }
  return out;
}

/** A new instance of `c` (its start function and initialisation run under the instantiation deadline). */
export function instantiate(c: Comp): Promise<Instance> {
  return underInstantiateDeadline(() => instantiateNow(c));
}

async function instantiateNow(c: Comp): Promise<Instance> {
  const l = loaded.get(c.digest);
  if (!l) throw new ComponentError(ComponentErrorCode.Instantiate, `component ${c.digest} not loaded in worker`);
  const ctx: InstanceCtx = { inv: 0 };
  const outgoing = await outgoingHandlerImports(
    (iface, func, args) => callHost(c.cid, ctx, iface, func, args),
    (iface, func, args) => callHost(c.cid, ctx, iface, func, args, undefined, true),
  );
  const base = {
    ...(await wasiImports(c.env, (stream, line) =>
      post({ t: 'log', cid: c.cid, stream, line, inv: ctx.inv, trace: ctx.trace }),
    )),
    ...outgoing,
    ...busImports(ctx),
    ...hostImports(c.cid, l, ctx),
    ...secretsImports((iface, func, args) => callHost(c.cid, ctx, iface, func, args)), // after hostImports: its resource
  };
  const imports = anyVersion(base);
  const memories: WebAssembly.Memory[] = [];
  const globals: WebAssembly.Global[] = [];
  const instantiateCore = async (m: WebAssembly.Module, i: WebAssembly.Imports): Promise<WebAssembly.Instance> => {
    const inst = await WebAssembly.instantiate(m, i);
    for (const [k, v] of Object.entries(inst.exports)) {
      if (v instanceof WebAssembly.Memory) memories.push(v);
      else if (v instanceof WebAssembly.Global && k.startsWith(GLOBAL_EXPORT_PREFIX)) globals.push(v);
    }
    return inst;
  };
  const exports = (await l.instantiate((n) => l.modules[n] as WebAssembly.Module, imports, instantiateCore)) as Record<
    string,
    unknown
  >;
  // every instance of a component starts from the same memory image: copy it once per worker and component
  l.pristine ??= memories.map((mem) => new Uint8Array(mem.buffer.slice(0)));
  const pristine = l.pristine;
  const snapshot =
    pristine && pristine.length === memories.length
      ? memories.map((mem, i) => ({ mem, bytes: pristine[i] as Uint8Array }))
      : undefined;
  const inst: Instance = {
    exports,
    ctx,
    snapshot,
    resets: 0,
    memories,
    globals: snapshot ? globals.map((g) => ({ g, value: g.value as unknown })) : undefined,
  };
  c.live.add(inst);
  ctx.drop = () => c.live.delete(inst);
  return inst;
}

export function refill(c: Comp): void {
  while (c.spares.length < c.spareTarget) {
    const p = instantiate(c);
    p.catch(() => undefined);
    c.spares.push(p);
  }
}

/** After a clean return: reset the instance for the next caller (cheaper than a new one), else replace it. */
export function recycle(c: Comp, instance: Instance, sticky: boolean): void {
  if (sticky) return;
  if (instance.snapshot && ++instance.resets <= MAX_RESETS && reset(instance))
    c.spares.unshift(Promise.resolve(instance));
  else {
    instance.ctx.drop?.();
    if (instance.snapshot) refill(c); // one without a snapshot was replaced when its call began
  }
}

/** Live instances and their linear-memory bytes per component (the `stats` answer). */
export function compStats(): Record<string, { instances: number; memoryBytes: number }> {
  const value: Record<string, { instances: number; memoryBytes: number }> = {};
  for (const [cid, c] of comps) {
    let bytes = 0;
    for (const i of c.live) for (const mem of i.memories) bytes += mem.buffer.byteLength;
    value[cid] = { instances: c.live.size, memoryBytes: bytes };
  }
  return value;
}
