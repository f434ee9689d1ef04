import { describe, expect, it } from 'vitest';
import { SharedLimit } from './admission.ts';

describe('SharedLimit', () => {
  it('caps the calls running host-wide; a release frees a slot; past the cap and the queue a call is COMP_BUSY', async () => {
    const main = new SharedLimit(1);
    const release = await main.take('c', 0, Date.now() + 1000);
    expect(main.usage.running).toBe(1);
    await expect(main.take('c', 0, Date.now() + 1000)).rejects.toMatchObject({ code: 'COMP_BUSY' });
    release();
    release(); // idempotent
    expect(main.usage.running).toBe(0);
  });

  it("gives back the slots a replaced worker held, and wakes a call waiting for one; the others' slots stay", async () => {
    const main = new SharedLimit(2);
    const worker = new SharedLimit(undefined, main.sab, 3); // the same slots, as worker 3 takes them
    await worker.take('c', 8, Date.now() + 1000);
    const mine = await main.take('c', 8, Date.now() + 1000);
    expect(main.usage.running).toBe(2);
    const waiting = main.take('c', 8, Date.now() + 5000);
    SharedLimit.releaseHolder(main.sab, 3); // worker 3 ended mid-call: its release never comes
    const next = await waiting;
    expect(main.usage.running).toBe(2); // the waiter's and the main thread's own
    SharedLimit.releaseHolder(main.sab, 3); // nothing more to give back
    expect(main.usage.running).toBe(2);
    mine();
    next();
    expect(main.usage.running).toBe(0);
  });
});
