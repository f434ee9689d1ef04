/** Maps what a guest call threw to a coded failure (the `COMP_*` codes callers and logs see), or its WIT error value. */
import { ComponentError } from './errors.ts';
import { WIT_ERROR } from './thread-outcome.ts';
import type { Failure } from './thread-outcome.ts';
import { toJson } from './value-map.ts';

export function classify(err: unknown): Omit<Failure, 'ok'> {
  const e = err as Error & { code?: string; payload?: unknown; exitError?: boolean; code2?: number };
  if (e instanceof ComponentError) return { code: e.code, message: e.detail };
  if (typeof e?.code === 'string' && e.code.startsWith('COMP_')) return { code: e.code, message: e.message };
  if (e instanceof TypeError && /expected/.test(e.message)) return { code: 'COMP_BAD_ARGUMENTS', message: e.message };
  // the export returned its result's err (jco throws it as a ComponentError with the value in `payload`)
  if (e && typeof e === 'object' && 'payload' in e) {
    const value = toJson(e.payload);
    return { code: WIT_ERROR, message: `the export returned an error value: ${describe(value)}`, value };
  }
  if (e instanceof WebAssembly.RuntimeError) return { code: 'COMP_TRAP', message: `guest trapped: ${e.message}` };
  if (e?.exitError) return { code: 'COMP_EXIT', message: e.message };
  if (e instanceof RangeError) return { code: 'COMP_MEMORY_LIMIT', message: e.message };
  return { code: 'COMP_TRAP', message: String(e?.message ?? e) };
}

/** One line of JSON, at most 500 characters (the whole value travels in the outcome's `value`). */
function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = String(value);
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
