import { describe, expect, it } from 'vitest';
import { WitError } from '../../lattice/index.ts';
import { ComponentError } from './errors.ts';
import { serveImport } from './worker-imports.ts';
import { Slot } from './worker-slot.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

/** The part of a Slot that serveImport and answer use: what it posts, and the calls it waits for. */
function fakeSlot() {
  const posted: ToWorker[] = [];
  const settled: { ok: boolean; v: unknown }[] = [];
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; cid: string }>();
  const add = (id: number) =>
    pending.set(id, {
      cid: 'c1',
      resolve: (v) => settled.push({ ok: true, v }),
      reject: (e) => settled.push({ ok: false, v: e }),
    });
  return { slot: { post: (m: ToWorker) => posted.push(m), pending } as unknown as Slot, posted, settled, add };
}

const importMsg = (id: number): Extract<FromWorker, { t: 'import' }> => ({
  t: 'import',
  id,
  inv: 1,
  cid: 'c1',
  iface: 'wasi:keyvalue/store',
  func: 'open',
  args: ['b'],
});

describe('the main thread ends of a WIT error value (worker-imports.ts, worker-slot.ts)', () => {
  it('an import answered with a WitError goes to the worker as a WIT_ERROR failure carrying the value', async () => {
    const { slot, posted } = fakeSlot();
    serveImport(slot, importMsg(1), () => Promise.reject(new WitError({ tag: 'no-such-store' })));
    serveImport(slot, importMsg(2), () => Promise.reject(Object.assign(new Error('down'), { code: 'HOST_X' })));
    serveImport(slot, importMsg(3), () => Promise.resolve({ $witErr: 'just a value' }));
    serveImport(slot, importMsg(4), undefined);
    await new Promise((r) => setImmediate(r));
    const byId = new Map(posted.map((m) => [(m as { id: number }).id, m]));
    expect(byId.get(1)).toMatchObject({ ok: false, code: 'WIT_ERROR', value: { tag: 'no-such-store' } });
    expect(byId.get(2)).toMatchObject({ ok: false, code: 'HOST_X', message: 'down' });
    // a value that looks like the old sentinel is a value
    expect(byId.get(3)).toMatchObject({ ok: true, value: { $witErr: 'just a value' } });
    expect(byId.get(4)).toMatchObject({ ok: false, code: 'COMP_IMPORT' });
  });

  it("a call the worker ended with WIT_ERROR rejects with a WitError of the value (the export's result::err)", () => {
    const { slot, settled, add } = fakeSlot();
    add(1);
    add(2);
    Slot.prototype.answer.call(slot, 1, false, { tag: 'other', val: 'x' }, 'WIT_ERROR', 'described');
    Slot.prototype.answer.call(slot, 2, false, undefined, 'COMP_TRAP', 'guest trapped');
    expect(settled[0]!.v).toBeInstanceOf(WitError);
    expect(settled[0]!.v).toMatchObject({ code: 'WIT_ERROR', value: { tag: 'other', val: 'x' } });
    expect(settled[1]!.v).toBeInstanceOf(ComponentError);
    expect(settled[1]!.v).toMatchObject({ code: 'COMP_TRAP', message: '[COMP_TRAP] c1: guest trapped' });
  });
});
