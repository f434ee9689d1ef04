/** Main thread: serves a guest's call to a host import that a worker posted, and answers it to the worker. */
import { WitError } from '../../lattice/pure.ts';
import { witErrorOutcome } from './thread-outcome.ts';
import type { FromWorker, ImportHandler } from './worker-protocol.ts';
import type { Slot } from './worker-slot.ts';

export function serveImport(slot: Slot, m: Extract<FromWorker, { t: 'import' }>, h: ImportHandler | undefined): void {
  if (!h)
    return slot.post({
      t: 'importResult',
      id: m.id,
      ok: false,
      code: 'COMP_IMPORT',
      message: `no host handler for ${m.iface}.${m.func}`,
    });
  // a call the worker serves itself brings its trace context; one posted by this thread has it in `pending`
  const ctx = m.trace ?? slot.pending.get(m.inv)?.ctx;
  h(m.cid, m.iface, m.func, m.args, { ...ctx, linkNames: m.linkNames }).then(
    (value) => slot.post({ t: 'importResult', id: m.id, ok: true, value }),
    (err: unknown) => {
      // a WIT error value is a normal answer for the guest (the err of its result), not a failed call
      if (err instanceof WitError)
        return slot.post({ t: 'importResult', id: m.id, ...witErrorOutcome(err.value, err.message) });
      const e = err as Error & { code?: string };
      slot.post({ t: 'importResult', id: m.id, ok: false, code: e.code ?? 'COMP_IMPORT', message: e.message });
    },
  );
}
