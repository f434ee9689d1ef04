/**
 * The `component` part of a Wasm OCI config: a component's WIT imports and exports, read from its root world with
 * jco's `componentWit` (loaded on first use, ~0.3 s). Names are `ns:pkg/iface@version` for interfaces and the plain
 * name for inline functions and interfaces, as the `oci-wasm` crate writes them.
 */
import { wasmKindOf } from '../wasm-kind.ts';
import type { WasmComponentInfo } from './manifest.ts';

/** Imports and exports of the root world of a WIT text as printed by `wasm-tools component wit`. */
export function worldItemsOf(wit: string): WasmComponentInfo {
  const out: WasmComponentInfo = { exports: [], imports: [], target: null };
  const start = /^world root\s*\{/m.exec(wit);
  if (!start) return out;
  let depth = 0;
  for (const line of wit.slice(start.index).split('\n')) {
    const m = depth === 1 ? /^\s*(import|export)\s+(?:([a-z][a-z0-9-]*)\s*:\s|([^\s;{]+)\s*;)/.exec(line) : null;
    if (m) (m[1] === 'import' ? out.imports : out.exports).push((m[2] ?? m[3])!);
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    if (depth <= 0 && line.includes('}')) break;
  }
  return out;
}

/**
 * The component info of a binary: `null` for a core module (its config then says `os: wasip1`); empty lists when
 * jco cannot print its world (the push still goes ahead: the config is metadata, the host verifies what it runs).
 */
export async function componentInfoOf(wasm: Uint8Array): Promise<WasmComponentInfo | null> {
  if (wasmKindOf(wasm) !== 'component') return null;
  try {
    const { componentWit } = await import('@bytecodealliance/jco');
    return worldItemsOf(await componentWit(wasm));
  } catch {
    return { exports: [], imports: [], target: null };
  }
}
