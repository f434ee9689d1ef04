import { describe, expect, it } from 'vitest';
import { check } from '../../test/helpers/wait.ts';
import { ClaimsExpiry } from './claims-expiry.ts';

/** A one-lane queue like the component manager's (commands on one id run one after another). */
function queue() {
  let tail = Promise.resolve();
  return (_id: string, task: () => Promise<void>): Promise<void> => (tail = tail.then(task, task));
}

describe('claims expiry', () => {
  it('expiry - a component whose claims expire is stopped with the reason; one re-armed with later claims is not', async () => {
    let now = 1_000_000_000_000;
    const stopped: [string, string][] = [];
    const e = new ClaimsExpiry(
      queue(),
      async (id, reason) => void stopped.push([id, reason]),
      undefined,
      () => now,
    );
    e.watch('a', now / 1000 + 0.05); // 50 ms ahead of the fake clock, which the timer re-reads when it fires
    e.watch('b', now / 1000 + 0.05);
    e.watch('b', now / 1000 + 3600); // updated with fresh claims
    e.watch('c', undefined);
    expect(e.watched.sort()).toEqual(['a', 'b']);
    now += 60;
    await check(() => stopped.length > 0, 5000);
    expect(stopped).toEqual([['a', expect.stringMatching(/claims of component "a" expired at .*re-sign/)]]);
    expect(e.watched).toEqual(['b']);
    e.clear('b');
    expect(e.watched).toEqual([]);
  });

  it('expiry - claims already expired when watched stop at once; an expiry whose timer fired early re-arms', async () => {
    let now = 2_000_000_000_000;
    const stopped: string[] = [];
    const e = new ClaimsExpiry(
      queue(),
      async (id) => void stopped.push(id),
      undefined,
      () => now,
    );
    e.watch('late', now / 1000 - 1);
    await check(() => stopped.includes('late'), 5000);
    e.watch('early', now / 1000 + 0.02); // the clock does not move: the timer fires, sees time left and re-arms
    await new Promise((r) => setImmediate(r));
    expect(e.watched).toEqual(['early']);
    now += 1000;
    await check(() => stopped.includes('early'), 5000);
  });
});
