/**
 * `linkdefs.put` on the provider process's xkey subject (wasmCloud 1.x): its host's links, secrets sealed to the xkey
 * of its HostData, arrive on `wasmbus.rpc.{lattice}.{provider_xkey}.linkdefs.put`; the id subject carries only copies
 * without secrets. Hostile input on either is dropped (LAT_BAD_PAYLOAD reply, one rate-limited warning) and the
 * process keeps serving with what it had.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  decodeHealthReply,
  errorFromHeaders,
  providerSubject,
  sealLinkSecrets,
  setBadInputSink,
} from '../../lattice/index.ts';
import type { HostData, Provider, ResolvedLink, RunningNatsServer } from '../../lattice/index.ts';
import { newXkey, xkeySeed } from '../../lattice/secrets/index.ts';
import { hostDataOf, NatsServer } from '../../test/helpers/unit.ts';
import { serveProviderControl } from './provider-control.ts';
import { ProviderLinks } from './provider-links.ts';
import { ProcessLinkSecrets } from './provider-secrets.ts';

const VALUE = 'xkey-subject-planted-7b20';
let ns: RunningNatsServer;
let nc: NatsConnection;
const warnings: Record<string, unknown>[] = [];
beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  setBadInputSink({ warn: (o) => void warnings.push(o) });
});
afterAll(async () => {
  await nc?.close();
  await ns?.stop();
});

const host = newXkey();
const provider = newXkey();
const hd = (lattice: string): HostData =>
  hostDataOf({
    host_id: 'HOSTA',
    lattice_rpc_prefix: lattice,
    lattice_rpc_url: ns.url,
    provider_key: 'kv',
    instance_id: 'i',
    host_xkey_public_key: host.getPublicKey(),
    provider_xkey_private_key: xkeySeed(provider),
  });
const link: ResolvedLink = {
  source_id: 'comp',
  target: 'kv',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store'],
  source_config: [],
  target_config: ['SECRET_pw'],
  source_config_values: {},
  target_config_values: { bucket: 'b' },
};
const sealedTo = (to: string) =>
  JSON.stringify({ ...link, ...sealLinkSecrets(host, to, { target_secrets: { pw: { tag: 'string', val: VALUE } } }) });

/** The control subjects of a process as `runProvider` wires them (real link and secret keeping). */
function served(lattice: string) {
  const puts: string[] = [];
  const fake: Provider = {
    init: () => undefined,
    onLinkAsTarget: (l) => void puts.push(l.source_id),
    shutdown: () => undefined,
  };
  const d = hd(lattice);
  const secrets = new ProcessLinkSecrets(d);
  const links = new ProviderLinks(fake, 'kv');
  const subs = serveProviderControl(nc, d, {
    health: () => Promise.resolve({ healthy: true }),
    shutdown: () => Promise.resolve(),
    linkPut: (l) => links.put(secrets.take(l)),
    linkPutCopy: (l) => (links.holds({ ...l }) ? Promise.resolve(false) : links.put(secrets.take(l))),
    linkDel: (l) => (secrets.delete(l), links.delete(l)),
  });
  return { puts, secrets, subs };
}
const req = (subject: string, body: string | Uint8Array) => nc.request(subject, body, { timeout: 2000 });

describe('linkdefs.put on the provider xkey subject', () => {
  it("the host's link arrives on the xkey subject and its secrets open; a copy on the id subject is not delivered twice", async () => {
    const { puts, secrets, subs } = served('x1');
    await nc.flush();
    const r = await req(providerSubject.linkPut('x1', provider.getPublicKey()), sealedTo(provider.getPublicKey()));
    expect(r.string()).toBe('{}');
    expect(secrets.forLink(link).target_secrets?.['pw']).toEqual({ tag: 'string', val: VALUE });
    const plain = { ...link, source_id: 'other', target_config: [] };
    await req(providerSubject.linkPut('x1', provider.getPublicKey()), JSON.stringify(plain));
    expect((await req(providerSubject.linkPut('x1', 'kv'), JSON.stringify(plain))).string()).toBe('{}');
    expect(puts).toEqual(['comp', 'other']); // the copy of what it holds is skipped
    subs.forEach((s) => s.unsubscribe());
  });

  it('hostile - garbage, oversize, wrongly sealed, or sealed on the id subject: dropped with a warning, serving goes on', async () => {
    const { puts, secrets, subs } = served('x2');
    await nc.flush();
    const xkeySubject = providerSubject.linkPut('x2', provider.getPublicKey());
    await req(xkeySubject, sealedTo(provider.getPublicKey()));
    warnings.length = 0;
    const big = JSON.stringify({ ...link, target_secrets: new Array(300 * 1024).fill(1) });
    for (const [subject, body] of [
      [xkeySubject, 'garbage'],
      [xkeySubject, new Uint8Array([0xff, 0xfe, 0x00])],
      [xkeySubject, big],
      [xkeySubject, sealedTo(newXkey().getPublicKey())], // sealed to another process's key
      [providerSubject.linkPut('x2', 'kv'), sealedTo(provider.getPublicKey())], // secrets never travel there
    ] as const) {
      const r = await req(subject, body);
      expect(errorFromHeaders(r.headers)?.code, subject).toBe('LAT_BAD_PAYLOAD');
      expect(errorFromHeaders(r.headers)?.message).not.toContain(VALUE);
    }
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(2); // one per subject per 10 s, the rest counted
    expect(JSON.stringify(warnings)).not.toContain(VALUE);
    expect(puts).toEqual(['comp']);
    expect(decodeHealthReply((await req(providerSubject.health('x2', 'kv'), '')).data).healthy).toBe(true);
    expect((await req(xkeySubject, sealedTo(provider.getPublicKey()))).string()).toBe('{}');
    expect(secrets.forLink(link).target_secrets?.['pw']).toEqual({ tag: 'string', val: VALUE });
    subs.forEach((s) => s.unsubscribe());
  });
});
