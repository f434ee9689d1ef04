import type { NatsConnection } from '@nats-io/transport-node';
import { errors } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { setBadInputSink } from './bad-input.ts';
import { CtlClient } from './ctl-client.ts';
import { buildCloudEvent } from './events/cloud-event.ts';
import type { HostMetricsSample } from './types/decode-metrics.ts';
import type { CloudEvent } from './types/event.ts';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const msg = (v: unknown) => ({ data: enc(v), json: () => (typeof v === 'string' ? JSON.parse(v) : v) as unknown });

/** A NATS connection that answers requests with `reply(subject, body)` and scatter-gathers `many(subject)`. */
function fakeNc(o: {
  reply?: (subject: string, body: string) => unknown;
  many?: (subject: string) => unknown[];
  fail?: Error;
}) {
  const sent: { subject: string; body: string }[] = [];
  const subs: { subject: string; cb: (e: unknown, m: { subject: string; data: Uint8Array }) => void }[] = [];
  const nc = {
    request: (subject: string, body: string) => {
      sent.push({ subject, body });
      return o.fail ? Promise.reject(o.fail) : Promise.resolve(msg(o.reply?.(subject, body)));
    },
    requestMany: (subject: string, body: string) => {
      sent.push({ subject, body });
      if (o.fail) return Promise.reject(o.fail);
      const replies = (o.many?.(subject) ?? []).map(msg);
      return Promise.resolve({
        async *[Symbol.asyncIterator]() {
          yield* replies;
        },
      });
    },
    subscribe: (subject: string, s: { callback: (typeof subs)[number]['cb'] }) => {
      subs.push({ subject, cb: s.callback });
      return { unsubscribe: () => undefined };
    },
    publish: (subject: string, body: string) => void sent.push({ subject, body }),
    flush: () => Promise.resolve(),
  } as unknown as NatsConnection;
  return { nc, sent, subs };
}

afterEach(() => setBadInputSink({ warn: () => undefined }));

describe('ctl client', () => {
  it('a request goes to the lattice subject with a JSON body; success:false is LAT_REFUSED with its message', async () => {
    const { nc, sent } = fakeNc({ reply: () => ({ success: false, message: '[HOST_NOT_FOUND] no such label' }) });
    const ctl = new CtlClient(nc, { lattice: 'unit' });
    await expect(ctl.deleteLabel('NHOST', 'zone')).rejects.toMatchObject({
      code: 'LAT_REFUSED',
      message: '[LAT_REFUSED] [HOST_NOT_FOUND] no such label',
    });
    expect(sent).toEqual([{ subject: 'wasmbus.ctl.v1.unit.label.del.NHOST', body: '{"key":"zone"}' }]);
  });

  it('a reply that is not an envelope is LAT_BAD_PAYLOAD; the response comes back on success', async () => {
    expect(
      await new CtlClient(fakeNc({ reply: () => ({ success: true, message: '', response: { a: '1' } }) }).nc).getConfig(
        'c',
      ),
    ).toEqual({ a: '1' });
    for (const junk of ['[]', 'null', '{"success":"yes"}', 'not json'])
      await expect(new CtlClient(fakeNc({ reply: () => junk }).nc).getConfig('c'), junk).rejects.toMatchObject({
        code: 'LAT_BAD_PAYLOAD',
      });
  });

  it('NATS failures are classified by type: no responders, timeout', async () => {
    const nr = new errors.RequestError('x', { cause: new errors.NoRespondersError('s') });
    await expect(new CtlClient(fakeNc({ fail: nr }).nc).putConfig('c', {})).rejects.toMatchObject({
      code: 'LAT_NO_RESPONDERS',
    });
    await expect(
      new CtlClient(fakeNc({ fail: new errors.TimeoutError() }).nc).putConfig('c', {}),
    ).rejects.toMatchObject({ code: 'LAT_TIMEOUT' });
  });

  it('getLinks - a forged entry is dropped, the others kept; a reply that is not a list is LAT_BAD_PAYLOAD', async () => {
    const drops: unknown[] = [];
    setBadInputSink({ warn: (o) => drops.push(o) });
    const good = {
      source_id: 'web',
      target: 'kv',
      name: 'default',
      wit_namespace: 'wasi',
      wit_package: 'keyvalue',
      interfaces: ['store'],
      source_config: [],
      target_config: [],
    };
    const ctl = new CtlClient(fakeNc({ reply: () => ({ success: true, message: '', response: [good, { x: 1 }] }) }).nc);
    expect(await ctl.getLinks()).toEqual([good]);
    expect(drops).toHaveLength(1);
    const notList = new CtlClient(fakeNc({ reply: () => ({ success: true, message: '', response: {} }) }).nc);
    await expect(notList.getLinks()).rejects.toMatchObject({ code: 'LAT_BAD_PAYLOAD' });
  });

  it('auctions - acks with an invalid host id, failed or malformed replies are dropped; no responders is []', async () => {
    const ack = (host_id: unknown) => ({ success: true, message: '', response: { provider_id: 'p', host_id } });
    const { nc, sent } = fakeNc({ many: () => [ack('NGOOD'), ack('N.>'), ack(7), { success: false }, 'junk'] });
    const ctl = new CtlClient(nc, { lattice: 'unit' });
    const acks = await ctl.auctionProvider({ provider_id: 'p', provider_ref: 'r', constraints: {} });
    expect(acks.map((a) => a.host_id)).toEqual(['NGOOD']);
    expect(sent[0]?.subject).toBe('wasmbus.ctl.v1.unit.provider.auction');
    const nobody = new CtlClient(fakeNc({ fail: new errors.NoRespondersError('s') }).nc);
    expect(await nobody.auctionComponent({ component_id: 'c', component_ref: 'r', constraints: {} })).toEqual([]);
  });

  it('getHosts - a forged ping reply does not spoil the others', async () => {
    setBadInputSink({ warn: () => undefined });
    const info = {
      id: 'N1',
      friendly_name: 'a',
      labels: {},
      lattice: 'unit',
      version: '1',
      uptime_seconds: 1,
      uptime_human: '1s',
    };
    const ctl = new CtlClient(
      fakeNc({
        many: () => [
          { success: true, message: '', response: info },
          { success: true, message: '', response: { id: 5 } },
        ],
      }).nc,
    );
    expect((await ctl.getHosts()).map((h) => h.id)).toEqual(['N1']);
  });

  it('putRegistryCredentials - a host id sends a request; none publishes to every host', async () => {
    const { nc, sent } = fakeNc({ reply: () => ({ success: true, message: '' }) });
    const ctl = new CtlClient(nc, { lattice: 'unit' });
    await ctl.putRegistryCredentials('NHOST', { 'ghcr.io': { token: 't' } });
    await ctl.putRegistryCredentials(undefined, { 'ghcr.io': { token: 't' } });
    expect(sent.map((s) => s.subject)).toEqual([
      'wasmbus.ctl.v1.unit.registry.put.NHOST',
      'wasmbus.ctl.v1.unit.registry.put',
    ]);
  });

  it('subscribeEvents - only valid CloudEvents reach the handler; a throwing handler is reported, not thrown', () => {
    const drops: unknown[] = [];
    setBadInputSink({ warn: (o) => drops.push(o) });
    const { nc, subs } = fakeNc({});
    const seen: CloudEvent[] = [];
    new CtlClient(nc, { lattice: 'unit' }).subscribeEvents(
      (e) => {
        seen.push(e);
        if (e.data['boom']) throw new Error('handler bug');
      },
      ['component_scaled'],
    );
    expect(subs.map((s) => s.subject)).toEqual(['wasmbus.evt.unit.component_scaled']);
    const deliver = (v: unknown) => subs[0]!.cb(null, { subject: 'wasmbus.evt.unit.component_scaled', data: enc(v) });
    deliver(buildCloudEvent('component_scaled', 'N1', { component_id: 'c' }));
    deliver('{"not":"an event"}');
    expect(() => deliver(buildCloudEvent('component_scaled', 'N1', { boom: true }))).not.toThrow();
    expect(seen).toHaveLength(2);
    expect(drops).toHaveLength(2);
  });

  it('subscribeMetrics - only a valid sample of the host its subject names reaches the handler; junk is dropped', () => {
    const drops: unknown[] = [];
    setBadInputSink({ warn: (o) => drops.push(o) });
    const { nc, subs } = fakeNc({});
    const seen: HostMetricsSample[] = [];
    const ctl = new CtlClient(nc, { lattice: 'unit' });
    ctl.subscribeMetrics((s) => seen.push(s), 'test samples');
    expect(subs.map((s) => s.subject)).toEqual(['wasmbus.metrics.unit.*']);
    const good = { host_id: 'NH', time_ms: 1, interval_ms: 500, components: [{ id: 'c', invocations: 3 }] };
    const deliver = (host: string, v: unknown) =>
      subs[0]!.cb(null, { subject: `wasmbus.metrics.unit.${host}`, data: enc(v) });
    deliver('NH', good);
    deliver('NH', 'not json {');
    deliver('NH', { ...good, components: 'all' });
    deliver('NOTHER', good); // a sample describing another host than its subject: forged or confused
    deliver('NH', [good]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ host_id: 'NH', components: [{ id: 'c', invocations: 3, errors: {} }] });
    // one rate-limited warning under the caller's name; its reason never quotes the input
    expect(drops[0]).toMatchObject({ source: 'test samples' });
    expect(JSON.stringify(drops[0])).not.toContain('not json');
    expect(ctl.wadm().lattice).toBe('unit');
  });
});
