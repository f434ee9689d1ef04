/** Main thread: serves a guest's call to a host import that a worker posted, and answers it to the worker. */
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
      const e = err as Error & { code?: string; value?: unknown };
      // a WIT error value is a normal answer for the guest (the err of its result), not a failed call
      if (e?.name === 'WitError')
        return slot.post({ t: 'importResult', id: m.id, ok: true, value: { $witErr: e.value } });
      slot.post({ t: 'importResult', id: m.id, ok: false, code: e.code ?? 'COMP_IMPORT', message: e.message });
    },
  );
}
