import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCloudEvent } from '../../lattice/index.ts';
import type { CloudEvent, CtlClient } from '../../lattice/index.ts';
import { sendAndAwait } from './await-event.ts';

/** A ctl client whose events are delivered by hand; records the order of subscribe, flush and send. */
function fakeCtl() {
  const order: string[] = [];
  let handler: ((e: CloudEvent) => void) | undefined;
  let unsubscribed = 0;
  const ctl = {
    subscribeEvents: (fn: (e: CloudEvent) => void, types: string[]) => {
      order.push(`subscribe ${types.join(',')}`);
      handler = fn;
      return [{ unsubscribe: () => void unsubscribed++ }];
    },
    flush: () => {
      order.push('flush');
      return Promise.resolve();
    },
  } as unknown as CtlClient;
  return { ctl, order, emit: (e: CloudEvent) => handler?.(e), unsubscribed: () => unsubscribed };
}

afterEach(() => vi.useRealTimers());

describe('sendAndAwait', () => {
  it('subscribes and flushes before sending, resolves with the first matching event, then unsubscribes', async () => {
    const f = fakeCtl();
    const done = sendAndAwait(
      f.ctl,
      () => {
        f.order.push('send');
        f.emit(buildCloudEvent('component_scaled', 'N1', { component_id: 'other' }));
        f.emit(buildCloudEvent('component_scaled', 'N1', { component_id: 'adder' }));
        return Promise.resolve();
      },
      { types: ['component_scaled'], match: (e) => e.data['component_id'] === 'adder', timeoutMs: 5000 },
    );
    expect((await done).data['component_id']).toBe('adder');
    expect(f.order).toEqual(['subscribe component_scaled', 'flush', 'send']);
    expect(f.unsubscribed()).toBe(1);
  });

  it('no matching event in time is CLI_FAILED with a hint; a failing send rejects with its error', async () => {
    vi.useFakeTimers();
    const f = fakeCtl();
    const late = sendAndAwait(f.ctl, () => Promise.resolve(), { types: ['x'], match: () => true, timeoutMs: 100 });
    const check = expect(late).rejects.toMatchObject({ code: 'CLI_FAILED' });
    await vi.advanceTimersByTimeAsync(150);
    await check;
    vi.useRealTimers();
    const g = fakeCtl();
    await expect(
      sendAndAwait(g.ctl, () => Promise.reject(new Error('refused')), {
        types: ['x'],
        match: () => true,
        timeoutMs: 1000,
      }),
    ).rejects.toThrow('refused');
    expect(g.unsubscribed()).toBe(1);
  });
});
