/**
 * A provider's own secrets (issue 22, wasmCloud's HostData `secrets`): the `SECRET_…` names among the configs of a
 * provider start are fetched from the built-in backend with the provider's identity and handed over, to an external
 * process in its HostData (stdin) and to a built-in provider as `ctx.secrets`; never merged into its config. A
 * provider the backend does not allow fails to start with SECRET_DENIED; a wadm manifest's provider `secrets:` deploy
 * the same way. The value never appears in the host's log, an event, or on the wire.
 */
import { dirname } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, invokeComponent } from '../../lattice/index.ts';
import type { Link, ProviderContext, RunningNatsServer } from '../../lattice/index.ts';
import { createLogger } from '../../host/index.ts';
import type { Host } from '../../host/index.ts';
import { Controller } from '../../host/controller/index.ts';
import type { SecretsBackend } from '../../host/secrets/index.ts';
import {
  EventRecorder,
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
  wadmApi,
} from '../helpers/index.ts';

const lattice = latticeFor('provownsecrets');
const TOKEN = 'provider-own-TOKEN-planted-4e81';
let ns: RunningNatsServer;
let nc: NatsConnection;
let backend: SecretsBackend;
let host: Host;
let ctrl: Controller;
let ctl: Awaited<ReturnType<typeof testCtl>>;
let events: EventRecorder;
const hostLog = captureLogger('debug');
const wire: string[] = [];
let builtinCtx: ProviderContext | undefined;

/** The built-in twin of the fixture: `hash("own:NAME")` of its own secret, the config it was given as `config`. */
const builtinProbe = () => ({
  init(c: ProviderContext) {
    builtinCtx = c;
  },
  handleImport(_s: string, _l: unknown, _i: string, func: string, args: unknown[]): Promise<unknown> {
    const v = builtinCtx?.secrets?.[String(args[0]).slice(4)];
    return Promise.resolve(func === 'hash' && v ? sha256Hex(String(v.val)) : 'none');
  },
  shutdown() {},
});
// one link per (source, package, name)
const link = (target: string): Link => linkOf(`caller-${target}`, target, 'weft:test', ['secret']);
const hash = (target: string, name: string): Promise<unknown> =>
  invokeComponent(nc, lattice, target, 'weft:test/secret.hash', [name], { sourceId: `caller-${target}` });
const hashes = (target: string, name: string, want: string) =>
  check(async () => ((await hash(target, name).catch(() => undefined)) === want ? 'ok' : undefined), 15_000);

beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  nc.subscribe('>', { callback: (_e, m) => void wire.push(new TextDecoder().decode(m.data)) });
  backend = await startTestSecretsBackend(nc);
  host = await startTestHost(ns.url, {
    lattice,
    heartbeatIntervalSec: 0.5,
    logger: hostLog.logger,
    allowProviderDirs: [dirname(SECRET_HASH_PROVIDER)],
    extraBuiltinProviders: { 'secret-probe': builtinProbe },
  });
  ctl = await testCtl(ns.url, lattice);
  events = await EventRecorder.start(nc, lattice);
  ctrl = await Controller.start({
    nc,
    lattice,
    logger: createLogger('warn'),
    heartbeatIntervalSec: 0.5,
    missedHeartbeats: 2,
    reconcileMs: 300,
  });
  const allow = ['provider:ext', 'provider:inhost', 'provider:app_probe'];
  await putSecretConfig(nc, ctl, { key: 'own-token', value: TOKEN, allow, config: 'SECRET_own', name: 'token' });
  await ctl.putConfig('plain', { URL: 'redis://127.0.0.1' });
  for (const t of ['ext', 'inhost', 'app_probe']) await ctl.putLink(link(t));
}, 90_000);

afterAll(async () => {
  events?.stop();
  await ctrl?.stop();
  await ctl?.[Symbol.asyncDispose]();
  await host?.stop();
  await backend?.stop();
  await nc?.close();
  await ns?.stop();
});

describe('provider secrets (HostData secrets)', () => {
  it('an external provider process gets its own secret in its HostData', async () => {
    await assertStartProvider(ctl, host.id, `file://${SECRET_HASH_PROVIDER}`, 'ext', ['plain', 'SECRET_own']);
    expect(await hashes('ext', 'own:token', sha256Hex(TOKEN))).toBe('ok');
    expect(await hash('ext', 'own:missing')).toBe('none');
  });

  it('a built-in provider gets it as ctx.secrets; the reference is not merged into its config', async () => {
    await assertStartProvider(ctl, host.id, 'weft+builtin://secret-probe', 'inhost', ['plain', 'SECRET_own']);
    expect(builtinCtx?.config).toEqual({ URL: 'redis://127.0.0.1' });
    expect(builtinCtx?.secrets?.['token']).toEqual({ tag: 'string', val: TOKEN });
    expect(await hashes('inhost', 'own:token', sha256Hex(TOKEN))).toBe('ok');
  });

  it('a provider the backend does not allow fails to start with SECRET_DENIED, never quoting the value', async () => {
    const err = await assertStartProvider(ctl, host.id, `file://${SECRET_HASH_PROVIDER}`, 'denied', [
      'SECRET_own',
    ]).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/SECRET_DENIED/);
    expect(host.providers.has('denied')).toBe(false);
  });

  it("a wadm manifest's provider secrets: deploy through the same path", async () => {
    const api = wadmApi(nc, lattice);
    const manifest = `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: app, annotations: { version: v1 } }
spec:
  policies:
    - { name: store, type: policy.secret.wasmcloud.dev/v1alpha1, properties: { backend: weft } }
  components:
    - name: probe
      type: capability
      properties:
        image: file://${SECRET_HASH_PROVIDER}
        secrets: [{ name: token, properties: { policy: store, key: own-token } }]
      traits: [{ type: spreadscaler, properties: { instances: 1 } }]
`;
    // with three test files at once, the first model request outlasted the helper's 5 s wait twice: ask again
    const put = await check(async () => {
      const r = await api('put', undefined, manifest).catch(() => undefined);
      return r && ['created', 'newversion'].includes(String(r.result)) ? r : undefined;
    }, 30_000);
    expect(put.result).toMatch(/created|newversion/);
    expect(await api('deploy', 'app')).toMatchObject({ result: 'acknowledged' });
    expect(await hashes('app_probe', 'own:token', sha256Hex(TOKEN))).toBe('ok');
  });

  it('the value is in no log line, event or NATS message', () => {
    expect(JSON.stringify(hostLog.lines)).toContain('"provider_id":"ext"'); // the process's stderr is copied in
    expect(JSON.stringify(hostLog.lines)).not.toContain(TOKEN);
    expect(JSON.stringify(events.events)).not.toContain(TOKEN);
    expect(wire.length).toBeGreaterThan(0);
    expect(wire.join('\n')).not.toContain(TOKEN);
  });
});
