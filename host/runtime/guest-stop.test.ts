import { describe, expect, it, vi } from 'vitest';
import type { GuestStopper } from './guest-stop.ts';
import { watchGuest } from './guest-stop.ts';
import type { Slot } from './worker-slot.ts';

/**
 * A worker as the watchdog sees it: [0] heartbeat, [1] earliest call deadline, [2] 1 while a guest may be stopped,
 * [3] earliest instantiation deadline.
 */
function slot(beat: number, deadline: number, safe: boolean, instantiating = 0) {
  const s = {
    beat: Float64Array.from([beat, deadline, safe ? 1 : 0, instantiating]),
    stoppedAt: undefined as number | undefined,
    worker: { threadId: 7 },
    posted: [] as unknown[],
    post(m: unknown) {
      this.posted.push(m);
    },
  };
  return s;
}
const stopper = (ok: boolean) => {
  const stop = vi.fn(async (_thread: number) => ok);
  return { stop, s: { stop } as unknown as GuestStopper };
};
const as = (s: ReturnType<typeof slot>) => s as unknown as Slot;

describe('watchGuest', () => {
  it('leaves a worker alone while its loop turns, and one stalled before any call deadline', () => {
    const { stop, s } = stopper(true);
    const replace = vi.fn();
    watchGuest(as(slot(1000, 900, true)), 1050, s, replace); // beat 50 ms old
    watchGuest(as(slot(1000, 5000, true)), 1500, s, replace); // stalled, deadline ahead
    watchGuest(as(slot(1000, 0, true)), 1500, s, replace); // stalled, no call
    expect(stop).not.toHaveBeenCalled();
    expect(replace).not.toHaveBeenCalled();
  });

  it('terminates a guest that runs past its deadline in code it may stop, then tells the worker', async () => {
    const { stop, s } = stopper(true);
    const replace = vi.fn();
    const w = slot(1000, 1100, true);
    watchGuest(as(w), 1300, s, replace);
    await vi.waitFor(() => expect(w.posted).toEqual([{ t: 'stopped' }]));
    expect(stop).toHaveBeenCalledWith(7);
    expect(replace).not.toHaveBeenCalled();
    // stopped, the loop turns again: nothing more
    w.beat[0] = 1350;
    watchGuest(as(w), 1360, s, replace);
    expect(w.stoppedAt).toBeUndefined();
  });

  it('replaces a worker it cannot reach, and one still stuck a second after its guest was stopped', async () => {
    const unattached = stopper(false);
    const replace = vi.fn();
    watchGuest(as(slot(1000, 1100, true)), 1300, unattached.s, replace);
    await vi.waitFor(() => expect(replace).toHaveBeenCalledTimes(1));
    const { s } = stopper(true);
    const w = slot(1000, 1100, true);
    const again = vi.fn();
    watchGuest(as(w), 1300, s, again);
    watchGuest(as(w), 2200, s, again);
    expect(again).not.toHaveBeenCalled();
    watchGuest(as(w), 2400, s, again);
    expect(again).toHaveBeenCalledTimes(1);
  });

  it('gives a worker busy outside guest call code (an instantiation, resets) a grace, not an instant replacement', () => {
    const { stop, s } = stopper(true);
    const replace = vi.fn();
    const w = slot(1000, 1100, false);
    watchGuest(as(w), 1300, s, replace);
    expect(stop).not.toHaveBeenCalled();
    expect(replace).not.toHaveBeenCalled();
    // its loop turns again within the grace: kept
    w.beat[0] = 1500;
    watchGuest(as(w), 1550, s, replace);
    expect(replace).not.toHaveBeenCalled();
    // stuck again, and for longer than the grace: replaced
    watchGuest(as(w), 1700, s, replace);
    watchGuest(as(w), 2800, s, replace);
    expect(replace).toHaveBeenCalledTimes(1);
  });

  it('replaces a worker stuck in an instantiation past its deadline (a start function that loops), after the grace', () => {
    const { stop, s } = stopper(true);
    const replace = vi.fn();
    const w = slot(1000, 0, false, 1100); // no call; an instantiation due at 1100, and no call's guest code running
    watchGuest(as(w), 1050, s, replace); // the instantiation is not late yet
    expect(w.stoppedAt).toBeUndefined();
    watchGuest(as(w), 1300, s, replace);
    watchGuest(as(w), 2400, s, replace);
    expect(stop).not.toHaveBeenCalled(); // it cannot be terminated alone
    expect(replace).toHaveBeenCalledWith(expect.stringMatching(/instantiation or a start function/));
  });

  it("does not stop a call's guest for a late instantiation: only the call's own deadline counts there", () => {
    const { stop, s } = stopper(true);
    const replace = vi.fn();
    const w = slot(1000, 5000, true, 1100); // a call's guest runs (safe), due at 5000
    watchGuest(as(w), 1300, s, replace);
    watchGuest(as(w), 2400, s, replace);
    expect(stop).not.toHaveBeenCalled();
    expect(replace).not.toHaveBeenCalled();
  });
});
