/**
 * A hostile guest with a `wasmcloud:messaging/consumer` link tries the lattice's own subjects (audit C1). Real
 * nats-server (nkey auth, monitoring on), a real host, the WAT probe (it names any subject) and messaging-echo.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '@nats-io/nkeys';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, CtlClient, ctlSubject, freePort, invokeComponent } from '../../lattice/index.ts';
import type { Link, RunningNatsServer } from '../../lattice/index.ts';
import type { Host } from '../../host/index.ts';
import { messagingProbeComponent } from '../fixtures/wat/build-messaging-probe.ts';
import {
  NatsServer,
  actorRef,
  assertScaleComponent,
  assertStartProvider,
  captureLogger,
  check,
  latticeFor,
  startTestHost,
  linkOf,
} from '../helpers/index.ts';

const seedOf = (u: ReturnType<typeof createUser>): string => new TextDecoder().decode(u.getSeed());
const hostUser = createUser();
const appUser = createUser(); // a NATS user of its own for one link (the server also denies it wasmbus.>)
const lattice = latticeFor('secmsg');
const REFUSED = 'messaging-nats refused a guest subject';

let ns: RunningNatsServer;
let mon: number;
let dir: string;
let host: Host;
let nc: NatsConnection;
let ctl: CtlClient;
const { logger, lines } = captureLogger('info');

const link = (source: string, target: string, interfaces: string[], extra: Partial<Link> = {}): Link =>
  linkOf(source, target, 'wasmcloud:messaging', interfaces, extra);
const publish = (subject: string, replyTo: string | null = null) =>
  invokeComponent(nc, lattice, 'probe', 'try-publish', [subject, replyTo]);
const request = (subject: string) => invokeComponent(nc, lattice, 'probe', 'try-request', [subject]);
const failure = (p: Promise<unknown>) =>
  p.then(
    (v) => ({ code: 'OK', message: JSON.stringify(v) }),
    (e: unknown) => e as { code: string; message: string },
  );
const messagingConns = async () => {
  const j = (await (await fetch(`http://127.0.0.1:${mon}/connz?auth=true&limit=1024`)).json()) as {
    connections: { name?: string; in_msgs: number; authorized_user?: string }[];
  };
  return j.connections.filter((c) => c.name === 'weft-messaging-nats-msg');
};
/** Everything the observer connection receives on these subjects, in arrival order. */
function observe(subjects: string[]): Msg[] {
  const got: Msg[] = [];
  for (const s of subjects) nc.subscribe(s, { callback: (_e, m) => void got.push(m) });
  return got;
}

beforeAll(async () => {
  mon = await freePort();
  ns = await NatsServer.start({
    extraConfig: `http: "127.0.0.1:${mon}"\nauthorization { users = [ { nkey: "${hostUser.getPublicKey()}" }, { nkey: "${appUser.getPublicKey()}", permissions: { publish: { deny: ["wasmbus.>", "$JS.>"] } } } ] }`,
  });
  dir = await mkdtemp(join(tmpdir(), 'weft-sec-msg-'));
  await writeFile(join(dir, 'probe.wasm'), await messagingProbeComponent());
  const nats = { url: ns.url, seed: seedOf(hostUser) };
  host = await startTestHost(ns.url, { lattice, nats, logger });
  nc = await connectNats(nats);
  ctl = new CtlClient(nc, { lattice });
  await assertStartProvider(ctl, host.id, 'weft+builtin://messaging-nats', 'msg');
  await assertScaleComponent(ctl, {
    host_id: host.id,
    component_ref: `file://${join(dir, 'probe.wasm')}`,
    component_id: 'probe',
    count: 1,
  });
  await assertScaleComponent(ctl, {
    host_id: host.id,
    component_ref: await actorRef('messaging-echo'),
    component_id: 'echo',
    count: 1,
  });
  await ctl.putConfig('probe-cfg', { PUBLISH_SUBJECTS: 'app.>,wasmbus.>,$JS.>,_INBOX.>' }); // reserved patterns are ignored
  await ctl.putLink(link('probe', 'msg', ['consumer'], { target_config: ['probe-cfg'] }));
  await check(() => host.links.lookup('probe', 'default', 'wasmcloud:messaging/consumer'));
}, 180_000);

afterAll(async () => {
  await host?.stop();
  await nc?.close();
  await ns?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('messaging-nats consumer against a hostile guest', () => {
  it('reserved subjects get a messaging error value and nothing reaches them; a permitted one arrives; the host still answers ctl', async () => {
    const reserved = [
      ctlSubject.hostPing(lattice),
      '$JS.API.STREAM.LIST',
      `wasmbus.evt.${lattice}.x`,
      '_INBOX.someone-else.1',
    ];
    const got = observe([...reserved, 'app.>']);
    await nc.flush();
    const started = Date.now();
    for (const s of reserved) {
      // one at a time: calls run in parallel on the guest workers, and the rate-limited warning below is the first's
      for (const attempt of [() => publish(s), () => request(s), () => publish('app.ok', s)]) {
        const e = await failure(attempt());
        // WIT_ERROR: the guest got an err value back and returned it (a trap would be COMP_TRAP)
        expect(e).toMatchObject({ code: 'WIT_ERROR', message: expect.stringContaining('[MSG_SUBJECT_DENIED]') });
        expect(e.message).toContain('reserved subject');
      }
    }
    // malformed subjects, even under app.>
    for (const s of ['app..x', 'app.*', 'app.>', 'app. x', `app.${'x'.repeat(300)}`]) {
      expect(await failure(publish(s))).toMatchObject({
        code: 'WIT_ERROR',
        message: expect.stringContaining('malformed subject'),
      });
    }
    expect(await failure(publish('other.x'))).toMatchObject({
      code: 'WIT_ERROR',
      message: expect.stringContaining('not on the link'),
    });
    // the permitted subject arrives, with a permitted reply-to
    await publish('app.ok', 'app.replies');
    const marker = await check(() => got.find((m) => m.subject === 'app.ok'));
    expect(marker.string()).toBe('probe');
    expect(marker.reply).toBe('app.replies');
    // same publisher connection, same subscriber: had anything refused gone out, it would have arrived before the marker
    expect(got.map((m) => m.subject)).toEqual(['app.ok']);
    // request on a permitted subject gets its reply
    const svc = nc.subscribe('app.svc', { callback: (_e, m) => void m.respond(`pong:${m.string()}`) });
    await nc.flush();
    expect(await request('app.svc')).toBe('pong:probe');
    svc.unsubscribe();
    // one rate-limited warning per component per 10 s, naming the component and the subject
    const warned = lines.filter((l) => l['msg'] === REFUSED && l['component_id'] === 'probe');
    expect(warned[0]).toMatchObject({ component_id: 'probe', subject: reserved[0], field: 'subject', op: 'publish' });
    expect(warned.length).toBeLessThanOrEqual(1 + Math.floor((Date.now() - started) / 10_000));
    // the host still answers ctl
    expect((await ctl.getHosts()).map((h) => h.id)).toContain(host.id);
    expect((await ctl.getHostInventory(host.id)).components.map((c) => c.id).sort()).toEqual(['echo', 'probe']);
  });

  it('messaging-echo answers the reply-to of the message it handles (no PUBLISH_SUBJECTS), but not a reserved reply-to', async () => {
    await ctl.putConfig('echo-sub', { SUBSCRIPTIONS: 'echo.>,bad..subject,x.> |q q' }); // the malformed ones are skipped
    await ctl.putLink(link('msg', 'echo', ['handler'], { source_config: ['echo-sub'] }));
    await ctl.putLink(link('echo', 'msg', ['consumer']));
    const reply = await check(() => nc.request('echo.hi', 'héllo', { timeout: 2000 }).catch(() => undefined), 15_000);
    expect(reply.string()).toBe('héllo');
    expect(
      lines.filter((l) => l['msg'] === 'messaging subscription skipped; fix SUBSCRIPTIONS').map((l) => l['subject']),
    ).toEqual(['bad..subject', 'x.>']);
    // a forged reply-to on the lattice's event subject: the echo's publish is refused, nothing arrives there
    const evt = `wasmbus.evt.${lattice}.forged`;
    const got = observe([evt]);
    await nc.flush();
    nc.publish('echo.evil', '{}', { reply: evt });
    await check(() => lines.find((l) => l['msg'] === REFUSED && l['component_id'] === 'echo' && l['subject'] === evt));
    // the echo's next reply goes out on the same connection and reaches this connection after anything earlier
    expect((await nc.request('echo.after', 'x', { timeout: 2000 })).string()).toBe('x');
    expect(got).toHaveLength(0);
  });

  it("guest traffic runs on the provider's own connections: the lattice NATS by default, per-link credentials, closed with the last link", async () => {
    // by default: one connection (the host's nkey) shared by every link, carrying the probe's publishes
    const before = await check(async () => ((await messagingConns()).length === 1 ? messagingConns() : undefined));
    expect(before[0]!.authorized_user).toBe(hostUser.getPublicKey());
    const inMsgs = before[0]!.in_msgs;
    await publish('app.count');
    await check(async () => ((await messagingConns())[0]!.in_msgs > inMsgs ? true : undefined));
    // a link with credentials of its own gets a connection as that user
    await ctl.putConfig('probe-own', { PUBLISH_SUBJECTS: 'app.>', cluster_uris: ns.url, client_seed: seedOf(appUser) });
    await ctl.putLink(link('probe', 'msg', ['consumer'], { target_config: ['probe-own'] }));
    await check(() =>
      host.links.lookup('probe', 'default', 'wasmcloud:messaging/consumer')?.target_config.includes('probe-own'),
    );
    const got = observe(['app.own']);
    await nc.flush();
    await check(
      () =>
        publish('app.own')
          .catch(() => undefined)
          .then(() => (got.length ? true : undefined)),
      10_000,
    );
    const conns = await check(async () => ((await messagingConns()).length === 2 ? messagingConns() : undefined));
    expect(conns.map((c) => c.authorized_user).sort()).toEqual(
      [hostUser.getPublicKey(), appUser.getPublicKey()].sort(),
    );
    // the policy still applies on that connection
    expect(await failure(publish(ctlSubject.hostPing(lattice)))).toMatchObject({
      code: 'WIT_ERROR',
      message: expect.stringContaining('reserved'),
    });
    // every link deleted: no messaging connection left
    await ctl.deleteLink({ source_id: 'probe', wit_namespace: 'wasmcloud', wit_package: 'messaging', name: 'default' });
    await ctl.deleteLink({ source_id: 'echo', wit_namespace: 'wasmcloud', wit_package: 'messaging', name: 'default' });
    await ctl.deleteLink({ source_id: 'msg', wit_namespace: 'wasmcloud', wit_package: 'messaging', name: 'default' });
    await check(async () => ((await messagingConns()).length === 0 ? true : undefined), 10_000);
    expect((await ctl.getHosts()).map((h) => h.id)).toContain(host.id);
  });
});
