import { describe, expect, it } from 'vitest';
import { DispatchCursor, STUCK_MS, chooseWorker, isStuck, takeBackQueued } from './worker-choice.ts';
import type { Candidate } from './worker-choice.ts';

const NOW = 1_000_000;
const worker = (
  name: string,
  o: { inflight?: number; lastUsed?: number; beatAgo?: number; has?: boolean; coming?: boolean } = {},
): Candidate & { name: string } => ({
  name,
  inflight: o.inflight ?? 0,
  lastUsed: o.lastUsed ?? 0,
  beat: new Float64Array([NOW - (o.beatAgo ?? 0)]),
  comps: new Map(o.has || o.coming ? [['c', { done: !!o.has }]] : []),
});

describe('worker choice', () => {
  it('unit - a worker is stuck only with calls in flight and a heartbeat older than STUCK_MS', () => {
    expect(isStuck(worker('a', { inflight: 1, beatAgo: STUCK_MS + 1 }), NOW)).toBe(true);
    expect(isStuck(worker('a', { inflight: 0, beatAgo: 10 * STUCK_MS }), NOW)).toBe(false);
    expect(isStuck(worker('a', { inflight: 3, beatAgo: STUCK_MS - 1 }), NOW)).toBe(false);
    // a retiring worker (a call in it was abandoned) takes no new calls either, though its event loop runs
    expect(isStuck({ ...worker('a'), retiring: NOW + 1000 }, NOW)).toBe(true);
  });

  it('unit - calls go to the least busy worker with the component, never to a stuck one while another is not', () => {
    const a = worker('a', { has: true, inflight: 1, beatAgo: 5 * STUCK_MS });
    const b = worker('b', { has: true, inflight: 4 });
    expect(chooseWorker([a, b], 'c', true, NOW).name).toBe('b');
    // without the stuck one, the least busy, then the least recently used
    expect(
      chooseWorker([worker('x', { has: true, inflight: 2 }), worker('y', { has: true, inflight: 1 })], 'c', true, NOW)
        .name,
    ).toBe('y');
    expect(
      chooseWorker([worker('x', { has: true, lastUsed: 5 }), worker('y', { has: true, lastUsed: 3 })], 'c', true, NOW)
        .name,
    ).toBe('y');
    // every worker with it is stuck: one without it that is not (the call waits for the component there)
    const c = worker('c', { inflight: 2 });
    expect(chooseWorker([a, c], 'c', true, NOW).name).toBe('c');
    // every worker with it is busy and one without it is idle
    expect(chooseWorker([worker('b', { has: true, inflight: 1 }), worker('d')], 'c', true, NOW).name).toBe('d');
    // nobody has it yet: the one registering it
    expect(chooseWorker([worker('e'), worker('f', { coming: true, inflight: 3 })], 'c', true, NOW).name).toBe('f');
  });

  it('unit - a call runs in exactly one worker: the worker claims it, or the main thread takes it back first', () => {
    const cursor = new DispatchCursor();
    const inWorker = new DispatchCursor(cursor.sab);
    expect(inWorker.claim(1)).toBe(true);
    expect(inWorker.claim(2)).toBe(true);
    // calls 3..5 are queued; the main thread takes them back before the worker gets to them
    expect(cursor.takeBack(5)).toBe(2);
    expect([3, 4, 5].map((n) => inWorker.claim(n))).toEqual([false, false, false]);
    expect(cursor.takeBack(5)).toBeUndefined();
    // later calls are the worker's again
    expect(inWorker.claim(6)).toBe(true);
  });

  it('unit - taking back queued calls stops at one whose body is streaming into the worker', () => {
    const cursor = new DispatchCursor();
    cursor.claim(1);
    const pending = new Map([1, 2, 3, 4].map((n) => [n * 10, { n, movable: n !== 3 }]));
    const moved = takeBackQueued(pending, cursor, 4);
    expect(moved.map((p) => p.n)).toEqual([2]);
    expect([...pending.values()].map((p) => p.n)).toEqual([1, 3, 4]);
    // the worker still runs 3 and 4
    expect(new DispatchCursor(cursor.sab).claim(3)).toBe(true);
  });
});
