/** Finding a component's exported function and its WIT signature in the declarations jco wrote (worker side). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitOperation, unversioned } from '../../lattice/pure.ts';
import { parseDts } from './dts-types.ts';
import type { DtsModule, FuncDecl } from './dts-types.ts';
import type { ComponentMeta } from './transpile-cache.ts';

/** What the lookup needs of a loaded component: its transpile dir, exports and parsed declarations (a cache). */
export interface ExportSource {
  meta: ComponentMeta;
  dir: string;
  dts: Map<string, DtsModule>;
}

/** `kebab-name` → `kebabName` (jco's JS names of WIT functions). */
export const camel = (s: string): string => s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The parsed declarations of one of jco's `.d.ts` files (root functions of `component.d.ts` included). */
export function dtsOf(l: ExportSource, file: string): DtsModule {
  let m = l.dts.get(file);
  if (!m) {
    let text = readFileSync(join(l.dir, file), 'utf8');
    if (file === 'component.d.ts') {
      // root-level functions are members of `interface Root`: turn them into declarations
      const root = /export interface Root \{([\s\S]*?)\n\}/.exec(text)?.[1] ?? '';
      text = root
        .split('\n')
        .filter((ln) => /^\s*\w+\(/.test(ln))
        .map((ln) => `export function ${ln.trim().replace(/,$/, ';')}`)
        .join('\n');
    }
    m = parseDts(text);
    l.dts.set(file, m);
  }
  return m;
}

/**
 * The export `op` names: an interface operation `ns:pkg/iface[@ver].func` (split by lattice's `splitOperation`) or,
 * when the part before the last dot is no `ns:pkg/iface`, a root function; `key` is the matching entry of the
 * component's exports, the requested version ignored (undefined when none).
 */
function exportOf(l: ExportSource, op: string): { key: string | undefined; iface: string; name: string } {
  const split = splitOperation(op);
  const iface = split.iface.includes('/') ? split.iface : '';
  const name = iface ? split.func : op;
  const key = Object.keys(l.meta.exports).find((k) => k === iface || unversioned(k) === unversioned(iface));
  return { key, iface, name };
}

/**
 * Whether the component exports the function `op` names (the same lookup as {@link findExport}, without an instance):
 * the host asks before policy and metrics see an operation name a caller chose.
 */
export function hasExport(l: ExportSource, op: string): boolean {
  if (/^wasi:http\/incoming-handler(@0\.2\.\d+)?\.handle$/.test(op))
    return Object.keys(l.meta.exports).some((k) => unversioned(k) === 'wasi:http/incoming-handler');
  const { key, name } = exportOf(l, op);
  if (key === undefined) return false;
  try {
    return dtsOf(l, l.meta.exports[key] ?? '').funcs.has(camel(name));
  } catch {
    return false;
  }
}

/**
 * The function `op` names (`ns:pkg/iface[@ver].func` or a root function) on an instance, with its declaration.
 * @throws COMP_NO_SUCH_EXPORT naming what the component does export.
 */
export function findExport(
  l: ExportSource,
  instance: Record<string, unknown>,
  op: string,
): { fn: (...a: unknown[]) => unknown; decl: FuncDecl; dts: DtsModule } {
  const { key, iface: ifaceReq, name } = exportOf(l, op);
  const func = camel(name);
  if (key === undefined)
    throw Object.assign(
      new Error(
        `no exported interface "${ifaceReq || '(root)'}"; exports: ${Object.keys(l.meta.exports).filter(Boolean).join(', ') || 'root functions only'}`,
      ),
      { code: 'COMP_NO_SUCH_EXPORT' },
    );
  const dts = dtsOf(l, l.meta.exports[key] ?? '');
  const decl = dts.funcs.get(func);
  const target = (key ? instance[key] : instance) as Record<string, unknown> | undefined;
  const fn = target?.[func];
  if (!decl || typeof fn !== 'function') {
    throw Object.assign(
      new Error(`"${key || '(root)'}" has no function "${name}"; it has: ${[...dts.funcs.keys()].join(', ')}`),
      { code: 'COMP_NO_SUCH_EXPORT' },
    );
  }
  return { fn: fn as (...a: unknown[]) => unknown, decl, dts };
}
