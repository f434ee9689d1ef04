import { describe, expect, it } from 'vitest';
import { BodyPump } from './http-body.ts';
import { BodyQueue } from './http-request.ts';
import type { ToWorker } from './worker-protocol.ts';

const KiB = 1024;
async function* parts(n: number, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < n; i++) yield new Uint8Array(size).fill(i);
}
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('streamed request bodies', () => {
  it('the pump stays within its window of unread bytes and goes on as the guest reads', async () => {
    const sent: ToWorker[] = [];
    const pump = new BodyPump((m) => sent.push(m), 7);
    const done = pump.run(parts(8, 512 * KiB));
    for (let i = 0; i < 5; i++) await tick();
    // 3 parts (1.5 MiB) are out: past the 1 MiB window it waits for the guest
    expect(sent.map((m) => m.t)).toEqual(['httpBody', 'httpBody', 'httpBody']);
    pump.ack(1024 * KiB);
    for (let i = 0; i < 5; i++) await tick();
    expect(sent).toHaveLength(5);
    pump.ack(4 * 1024 * KiB);
    await done;
    expect(sent.map((m) => m.t)).toEqual([...Array<string>(8).fill('httpBody'), 'httpBodyEnd']);
    expect(sent.every((m) => 'id' in m && m.id === 7)).toBe(true);
  });

  it('a stopped pump sends nothing more; a broken source ends the body with its error', async () => {
    const sent: ToWorker[] = [];
    const pump = new BodyPump((m) => sent.push(m), 1);
    const done = pump.run(parts(8, 512 * KiB));
    for (let i = 0; i < 5; i++) await tick();
    pump.stop();
    await done;
    expect(sent).toHaveLength(3);
    const broken = async function* (): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1);
      throw new Error('client went away');
    };
    const sent2: ToWorker[] = [];
    await new BodyPump((m) => sent2.push(m), 2).run(broken());
    expect(sent2.at(-1)).toEqual({ t: 'httpBodyEnd', id: 2, error: 'client went away' });
  });

  it('the queue reads what has arrived, empty before that, closed at the end, the error if it broke off', async () => {
    const err = (m: string): string => `io:${m}`;
    const q = new BodyQueue();
    expect(q.read(10n, err)).toEqual(new Uint8Array(0));
    const waiting = q.wait();
    q.push(new Uint8Array([1, 2, 3, 4, 5]));
    await waiting;
    expect([...q.read(2n, err)]).toEqual([1, 2]);
    expect([...q.read(10n, err)]).toEqual([3, 4, 5]);
    q.end();
    expect(() => q.read(1n, err)).toThrow(expect.objectContaining({ tag: 'closed' }) as Error);
    const b = new BodyQueue();
    b.end('reset by peer');
    expect(() => b.read(1n, err)).toThrow(
      expect.objectContaining({ tag: 'last-operation-failed', val: 'io:reset by peer' }) as Error,
    );
    expect(q.consumed).toBe(5);
  });
});
