import type { NatsConnection } from '@nats-io/transport-node';
import { errors } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { WadmClient } from './wadm-client.ts';

describe('wadm client', () => {
  it('subscribeStatus - follows every application of its lattice and hands over the name only', () => {
    const subs: { subject: string; cb: (e: unknown, m: { subject: string }) => void }[] = [];
    const nc = {
      subscribe: (subject: string, o: { callback: (e: unknown, m: { subject: string }) => void }) => {
        subs.push({ subject, cb: o.callback });
        return { unsubscribe: () => undefined };
      },
    } as unknown as NatsConnection;
    const seen: string[] = [];
    new WadmClient(nc, { lattice: 'unit' }).subscribeStatus((app) => seen.push(app));
    expect(subs.map((s) => s.subject)).toEqual(['wadm.status.unit.*']);
    subs[0]!.cb(null, { subject: 'wadm.status.unit.shop' });
    subs[0]!.cb(null, { subject: `wadm.status.unit.${'x'.repeat(500)}` });
    expect(seen[0]).toBe('shop');
    expect(seen[1]).toHaveLength(200);
  });

  it('no controller - LAT_NO_RESPONDERS with a hint to start one; a timeout stays LAT_TIMEOUT', async () => {
    const failing = (err: Error) =>
      new WadmClient({ request: () => Promise.reject(err) } as unknown as NatsConnection, { lattice: 'unit' });
    const nr = new errors.RequestError('x', { cause: new errors.NoRespondersError('s') });
    await expect(failing(nr).list()).rejects.toMatchObject({
      code: 'LAT_NO_RESPONDERS',
      hint: expect.stringContaining('weft controller') as unknown,
    });
    await expect(failing(new errors.TimeoutError()).list()).rejects.toMatchObject({ code: 'LAT_TIMEOUT' });
  });
});
