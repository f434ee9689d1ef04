import { resolve } from 'node:path';
import { CliError, CliErrorCode } from '../errors.ts';
/** The part of an actor's weft.json that names its world. */
type WorldRef = { wit: string; world: string };

/**
 * The WIT packages an actor's world imports (`wasi:keyvalue`, `wasi:logging`, …), sorted: the default caps of
 * `weft build` and `weft dev`. Read from the world itself (wasm-tools resolves `include`s and the packages that
 * imported interfaces use), not from the built component, whose JS engine imports more than the actor asked for.
 * @throws {CliError} CLI_FAILED when the world cannot be resolved.
 */
export async function worldImportedPackages(dir: string, cfg: WorldRef): Promise<string[]> {
  return packagesImported(await worldWit(dir, cfg));
}

/**
 * The world of `cfg` as wasm-tools prints it (includes resolved, every import and export versioned).
 * @throws {CliError} CLI_FAILED when the world cannot be resolved.
 */
export async function worldWit(dir: string, cfg: WorldRef): Promise<string> {
  // wasm-tools reads the WIT folder through WASI: build tooling (never guests) gets the host filesystem
  const fs = (await import('@bytecodealliance/preview2-shim/filesystem')) as unknown as {
    _setPreopens: (p: Record<string, string>) => void;
  };
  fs._setPreopens({ '/': '/' });
  const { componentEmbed, componentNew, componentWit } = await import('@bytecodealliance/jco');
  let wit: string;
  try {
    const core = await componentEmbed({ dummy: true, witPath: resolve(dir, cfg.wit), world: cfg.world });
    wit = await componentWit(await componentNew(core));
  } catch (err) {
    throw new CliError(
      CliErrorCode.Failed,
      `cannot read the imports of world ${cfg.world}: ${String((err as Error).message).split('\n')[0]}`,
      'check "world" and "wit" in weft.json, or give the caps with --cap',
    );
  }
  return wit;
}

/** `import ns:pkg/iface@ver;` lines of a WIT world → `ns:pkg`, deduplicated and sorted. */
export function packagesImported(wit: string): string[] {
  const out = new Set<string>();
  for (const m of wit.matchAll(/^\s*import\s+([a-z][\w-]*:[a-z][\w-]*)\//gm)) out.add(m[1] ?? '');
  return [...out].filter(Boolean).sort();
}

/** `export ns:pkg/iface@ver;` lines of a WIT world → `ns:pkg/iface@ver`, in order. */
export function interfacesExported(wit: string): string[] {
  return [...wit.matchAll(/^\s*export\s+([a-z][\w-]*:[a-z][\w-]*\/[\w-]+(?:@[\w.-]+)?)\s*;/gm)].map((m) => m[1] ?? '');
}

/** `import ns:pkg/iface@ver;` lines of a WIT world → `ns:pkg/iface@ver`, in order. */
export function interfacesImported(wit: string): string[] {
  return [...wit.matchAll(/^\s*import\s+([a-z][\w-]*:[a-z][\w-]*\/[\w-]+(?:@[\w.-]+)?)\s*;/gm)].map((m) => m[1] ?? '');
}
