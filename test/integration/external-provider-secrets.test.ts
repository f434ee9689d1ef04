/**
 * An external provider process gets its links' secrets (issue 22): sealed by the host to the xkey of the process's
 * start, in the HostData link definitions (a link put before the provider starts) and in `linkdefs.put` on the
 * process's xkey subject (one put after; wasmCloud's `wasmbus.rpc.{lattice}.{provider_xkey}.linkdefs.put`, with the
 * back-compat copy on the id subject only for a link without secrets), opened by the SDK for `ctx.linkSecrets(link)`.
 * The fixture answers a hash of the secret; the value never appears in the host's log nor unsealed on the wire.
 * Hostile input on the xkey subject is dropped and the process keeps serving.
 */
import { dirname } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, invokeComponent, providerSubject } from '../../lattice/index.ts';
import type { Link, RunningNatsServer } from '../../lattice/index.ts';
import { DEFAULT_SECRETS_TOPIC, newXkey, putSecret } from '../../lattice/secrets/index.ts';
import type { Host } from '../../host/index.ts';
import type { SecretsBackend } from '../../host/secrets/index.ts';
import {
  NatsServer,
  SECRET_HASH_PROVIDER,
  assertStartProvider,
  captureLogger,
  check,
  latticeFor,
  linkOf,
  putSecretConfig,
  sha256Hex,
  startTestHost,
  startTestSecretsBackend,
  testCtl,
} from '../helpers/index.ts';

const lattice = latticeFor('extpsecrets');
const TOKEN = 'ext-provider-TOKEN-planted-7f3a';
let ns: RunningNatsServer;
let nc: NatsConnection;
let backend: SecretsBackend;
let host: Host;
let ctl: Awaited<ReturnType<typeof testCtl>>;
const hostLog = captureLogger('debug');
const wire: { subject: string; body: string }[] = [];

const link = (source: string, target_config: string[]): Link =>
  linkOf(source, 'sechash', 'weft:test', ['secret'], { target_config });
const hash = (source: string, name: string): Promise<unknown> =>
  invokeComponent(nc, lattice, 'sechash', 'weft:test/secret.hash', [name], { sourceId: source });

beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  nc.subscribe(`wasmbus.rpc.${lattice}.*.linkdefs.put`, {
    callback: (_e, m) => void wire.push({ subject: m.subject, body: new TextDecoder().decode(m.data) }),
  });
  backend = await startTestSecretsBackend(nc);
  host = await startTestHost(ns.url, {
    lattice,
    logger: hostLog.logger,
    allowProviderDirs: [dirname(SECRET_HASH_PROVIDER)],
  });
  ctl = await testCtl(ns.url, lattice);
  await putSecretConfig(nc, ctl, {
    key: 'ext-token',
    value: TOKEN,
    allow: ['provider:sechash'],
    config: 'SECRET_tok',
    name: 'token',
  });
  await ctl.putLink(link('before-start', ['SECRET_tok'])); // reaches the process in its HostData
  await assertStartProvider(ctl, host.id, `file://${SECRET_HASH_PROVIDER}`, 'sechash');
}, 90_000);

afterAll(async () => {
  await ctl?.[Symbol.asyncDispose]();
  await host?.stop();
  await backend?.stop();
  await nc?.close();
  await ns?.stop();
});

describe('external provider - link secrets', () => {
  it('a link put before the start: the secret arrives sealed in HostData and opens in the process', async () => {
    expect(
      await check(
        async () =>
          (await hash('before-start', 'token').catch(() => undefined)) === sha256Hex(TOKEN) ? 'ok' : undefined,
        15_000,
      ),
    ).toBe('ok');
  });

  it('a link put after the start: sealed in linkdefs.put, never unsealed on the wire; a link without secrets has none', async () => {
    await ctl.putLink(link('after-start', ['SECRET_tok']));
    await ctl.putLink(link('no-secret', []));
    expect(
      await check(
        async () =>
          (await hash('after-start', 'token').catch(() => undefined)) === sha256Hex(TOKEN) ? 'ok' : undefined,
        15_000,
      ),
    ).toBe('ok');
    expect(
      await check(
        async () => ((await hash('no-secret', 'token').catch(() => undefined)) === 'none' ? 'ok' : undefined),
        15_000,
      ),
    ).toBe('ok');
    const idSubject = providerSubject.linkPut(lattice, 'sechash');
    const sealed = wire.filter((w) => w.body.includes('"after-start"'));
    expect(sealed.length).toBeGreaterThan(0);
    for (const w of sealed) {
      expect(JSON.parse(w.body)).toHaveProperty('target_secrets');
      expect(w.subject).toMatch(new RegExp(`^wasmbus\\.rpc\\.${lattice}\\.X[A-Z2-7]{55}\\.linkdefs\\.put$`));
    }
    const copies = wire.filter((w) => w.subject === idSubject).map((w) => JSON.parse(w.body) as Link);
    expect(copies.map((l) => l.source_id)).toEqual(['no-secret']); // the back-compat copy: only without secrets
    expect(wire.some((w) => w.subject !== idSubject && w.body.includes('"no-secret"'))).toBe(true);
    expect(JSON.stringify(wire)).not.toContain(TOKEN);
  });

  it('hostile - garbage, oversize or wrongly sealed links on the xkey subject are dropped; the process serves on', async () => {
    const xkeySubject = wire.find((w) => w.body.includes('"after-start"'))!.subject;
    const forged = { ...link('forged', ['SECRET_tok']), source_config_values: {}, target_config_values: {} };
    const wrong = [...newXkey().seal(new TextEncoder().encode('{}'), newXkey().getPublicKey())];
    for (const body of [
      'garbage',
      JSON.stringify({ ...forged, target_secrets: new Array(300 * 1024).fill(7) }),
      JSON.stringify({ ...forged, target_secrets: wrong }),
    ])
      await nc.request(xkeySubject, body, { timeout: 5000 }); // answered with an error, not applied
    expect(await hash('after-start', 'token')).toBe(sha256Hex(TOKEN));
    expect(await hash('forged', 'token').catch((e: Error) => e.message)).toMatch(/no link/);
    expect(
      await check(
        () => (JSON.stringify(hostLog.lines).includes('dropped malformed lattice input') ? 'ok' : undefined),
        10_000,
      ),
    ).toBe('ok'); // the process's rate-limited warning, copied from its stderr
  });

  it("nothing in the host's log holds the value (the provider's stderr is copied into it)", () => {
    const log = JSON.stringify(hostLog.lines);
    expect(log).toContain('sechash');
    expect(log).not.toContain(TOKEN);
  });

  it('rotation - a new version of the secret reaches the process with the next put of the link', async () => {
    const rotated = `${TOKEN}-v2`;
    await putSecret(
      nc,
      { topic: DEFAULT_SECRETS_TOPIC, backend: 'weft' },
      { name: 'ext-token', value: rotated, allow: ['provider:sechash'] },
    );
    await ctl.putLink(link('after-start', ['SECRET_tok'])); // unchanged: put again after `weft secrets put`
    expect(
      await check(
        async () =>
          (await hash('after-start', 'token').catch(() => undefined)) === sha256Hex(rotated) ? 'ok' : undefined,
        15_000,
      ),
    ).toBe('ok');
    expect(await hash('before-start', 'token')).toBe(sha256Hex(TOKEN)); // not put again: the process keeps what it had
    expect(JSON.stringify(wire)).not.toContain(rotated);
    expect(JSON.stringify(hostLog.lines)).not.toContain(rotated);
  });
});
