import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from '../../test/helpers/index.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { RunningNatsServer } from '../index.ts';
import { connectNats } from '../nats/connect.ts';
import { providerSubject } from '../subjects.ts';
import { announceReady, awaitProviderReady, decodeReadyReport } from './handshake.ts';

let ns: RunningNatsServer;
let host: NatsConnection;
let child: NatsConnection;
beforeAll(async () => {
  ns = await NatsServer.start();
  host = await connectNats({ url: ns.url });
  child = await connectNats({ url: ns.url });
});
afterAll(async () => {
  await host?.close();
  await child?.close();
  await ns?.stop();
});
const w = (instanceId: string, timeoutMs = 10_000) => ({
  lattice: 'hs',
  providerId: 'kv',
  instanceId,
  hostId: 'HOST1',
  timeoutMs,
});
const report = (instance_id: string, extra = {}) => ({
  lattice: 'hs',
  provider_id: 'kv',
  instance_id,
  host_id: 'HOST1',
  ...extra,
});

describe('provider readiness handshake', () => {
  it('announceReady - the host waiting for that instance answers, and its wait resolves', async () => {
    const wait = await awaitProviderReady(host, w('i-1'));
    expect(await announceReady(child, report('i-1'))).toBe(true);
    await expect(wait.ready).resolves.toBeUndefined();
  });

  it('hostile - a report naming another host or provider, or junk, is dropped: the wait goes on until the real one', async () => {
    const wait = await awaitProviderReady(host, w('i-2'));
    let done = false;
    void wait.ready.then(() => (done = true));
    const subject = providerSubject.ready('hs', 'kv', 'i-2');
    for (const body of ['', 'junk', '[]', '{"provider_id":1}', JSON.stringify(report('i-2', { host_id: 'OTHER' }))])
      await expect(child.request(subject, body, { timeout: 300 })).rejects.toThrow();
    expect(await announceReady(child, report('i-2', { host_id: 'EVIL' }), { attempts: 1, timeoutMs: 300 })).toBe(false);
    expect(done).toBe(false);
    expect(await announceReady(child, report('i-2'))).toBe(true);
    await wait.ready;
  });

  it('a process no host waits for is told so (false); a wait ends by timeout or when the process exits first', async () => {
    expect(await announceReady(child, report('nobody'), { attempts: 2, timeoutMs: 200 })).toBe(false);
    await expect((await awaitProviderReady(host, w('i-3', 50))).ready).rejects.toMatchObject({ code: 'LAT_TIMEOUT' });
    const wait = await awaitProviderReady(host, w('i-4'));
    wait.fail(new Error('exited with code 1'));
    await expect(wait.ready).rejects.toThrow('exited with code 1');
    // the subscription is gone: a late report gets no answer
    expect(await announceReady(child, report('i-4'), { attempts: 1, timeoutMs: 200 })).toBe(false);
  });

  it('decodeReadyReport - the three ids are required strings', () => {
    expect(decodeReadyReport(JSON.stringify(report('x')))).toEqual({
      provider_id: 'kv',
      instance_id: 'x',
      host_id: 'HOST1',
    });
    for (const bad of ['{}', '{"provider_id":"kv","instance_id":"x"}', 'null', '"s"'])
      expect(() => decodeReadyReport(bad), bad).toThrow(/LAT_BAD_PAYLOAD/);
  });
});
