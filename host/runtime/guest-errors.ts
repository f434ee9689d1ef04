/** Maps what a guest call threw to a coded error (the `COMP_*` codes callers and logs see). */
import { toJson } from './value-map.ts';

export function classify(err: unknown): { code: string; message: string } {
  const e = err as Error & { code?: string; payload?: unknown; exitError?: boolean; code2?: number };
  if (typeof e?.code === 'string' && e.code.startsWith('COMP_')) return { code: e.code, message: e.message };
  if (e instanceof TypeError && /expected/.test(e.message)) return { code: 'COMP_BAD_ARGUMENTS', message: e.message };
  if (e && 'payload' in e) return { code: 'COMP_RESULT_ERR', message: JSON.stringify(toJson(e.payload)) };
  if (e instanceof WebAssembly.RuntimeError) return { code: 'COMP_TRAP', message: `guest trapped: ${e.message}` };
  if (e?.exitError) return { code: 'COMP_EXIT', message: e.message };
  if (e instanceof RangeError) return { code: 'COMP_MEMORY_LIMIT', message: e.message };
  return { code: 'COMP_TRAP', message: String(e?.message ?? e) };
}
