import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  connectNats,
  ctlSubject,
  bucketName,
  LatticeErrorCode,
  startNatsServer,
  freePort,
} from '../../lattice/index.ts';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { EventRecorder, NatsServer, check, latticeFor, startTestHost, testCtl, rawNatsOf } from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

const CE_FIELDS = ['specversion', 'type', 'source', 'id', 'time', 'datacontenttype', 'data'];

describe('host', () => {
  it('host ping - two hosts on one lattice both answer', async () => {
    const lattice = latticeFor('ping');
    const a = await startTestHost(ns.url, { lattice, labels: { zone: 'a' } });
    const b = await startTestHost(ns.url, { lattice, labels: { zone: 'b' } });
    await using ctl = await testCtl(ns.url, lattice);
    const hosts = await ctl.getHosts();
    expect(hosts.map((h) => h.id).sort()).toEqual([a.id, b.id].sort());
    for (const h of hosts) {
      expect(h.id).toMatch(/^N[A-Z2-7]{55}$/);
      expect(h.friendly_name).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);
      expect(h.lattice).toBe(lattice);
      expect(h.labels['hostcore.os']).toBeTruthy();
      expect(h.labels['hostcore.arch']).toBeTruthy();
    }
    expect(hosts.find((h) => h.id === a.id)?.labels['zone']).toBe('a');
    await Promise.all([a.stop(), b.stop()]);
  });

  it('host ping - hosts on another lattice do not answer', async () => {
    const a = await startTestHost(ns.url, { lattice: latticeFor('lat_a') });
    await using ctl = await testCtl(ns.url, latticeFor('lat_b'));
    expect(await ctl.getHosts()).toEqual([]);
    await a.stop();
  });

  it('inventory and labels - round-trip and publish labels_changed', async () => {
    const lattice = latticeFor('labels');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const rec = await EventRecorder.start(ctl);
    await ctl.putLabel(host.id, 'tier', 'edge');
    const inv = await ctl.getHostInventory(host.id);
    expect(inv.host_id).toBe(host.id);
    expect(inv.labels['tier']).toBe('edge');
    expect(inv.components).toEqual([]);
    expect(inv.providers).toEqual([]);
    const evt = await rec.waitFor('labels_changed');
    expect(evt.data).toMatchObject({ host_id: host.id, labels: { tier: 'edge' } });
    await ctl.deleteLabel(host.id, 'tier');
    expect((await ctl.getHostInventory(host.id)).labels['tier']).toBeUndefined();
    await expect(ctl.putLabel(host.id, 'hostcore.os', 'plan9')).rejects.toMatchObject({
      code: LatticeErrorCode.Refused,
    });
    expect((await ctl.getHostInventory(host.id)).labels['hostcore.os']).not.toBe('plan9');
    rec.stop();
    await host.stop();
  });

  it('config - put/get/del through the CONFIGDATA KV bucket with events', async () => {
    const lattice = latticeFor('config');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const rec = await EventRecorder.start(ctl);
    await ctl.putConfig('http-cfg', { address: '127.0.0.1:8080' });
    expect(await ctl.getConfig('http-cfg')).toEqual({ address: '127.0.0.1:8080' });
    const kv = await new Kvm(jetstream(rawNatsOf(ctl))).open(bucketName.configData(lattice));
    expect((await kv.get('http-cfg'))?.json()).toEqual({ address: '127.0.0.1:8080' });
    await rec.waitFor('config_set', (e) => e.data['config_name'] === 'http-cfg');
    await ctl.deleteConfig('http-cfg');
    await rec.waitFor('config_deleted', (e) => e.data['config_name'] === 'http-cfg');
    await expect(ctl.getConfig('http-cfg')).rejects.toMatchObject({ code: LatticeErrorCode.Refused });
    const bad = await ctl.requestRaw(ctlSubject.configPut(lattice, 'x'), JSON.stringify({ a: 1 }));
    expect(bad.success).toBe(false);
    expect(bad.message).toMatch(/must be a string/);
    rec.stop();
    await host.stop();
  });

  it('events - host_started, host_heartbeat and host_stopped carry the CloudEvents fields', async () => {
    const lattice = latticeFor('events');
    await using ctl = await testCtl(ns.url, lattice);
    const rec = await EventRecorder.start(ctl);
    const host = await startTestHost(ns.url, { lattice, heartbeatIntervalSec: 0.2 });
    const started = await rec.waitFor('host_started');
    const beat = await rec.waitFor('host_heartbeat');
    await host.stop();
    const stopped = await rec.waitFor('host_stopped');
    for (const e of [started, beat, stopped]) {
      for (const f of CE_FIELDS) expect(e).toHaveProperty(f);
      expect(e.specversion).toBe('1.0');
      expect(e.source).toBe(host.id);
      expect(e.datacontenttype).toBe('application/json');
      expect(Number.isNaN(Date.parse(e.time))).toBe(false);
    }
    expect(started.data).toMatchObject({ friendly_name: host.friendlyName, uptime_seconds: 0 });
    expect(beat.data).toMatchObject({ host_id: host.id, components: [], providers: [] });
    expect(stopped.data).toHaveProperty('labels');
    rec.stop();
  });

  it('ctl - unknown subject and malformed JSON get success:false and the host keeps serving', async () => {
    const lattice = latticeFor('badinput');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const unknown = await ctl.requestRaw(`wasmbus.ctl.v1.${lattice}.bogus.op`, '{}');
    expect(unknown).toMatchObject({ success: false });
    expect(unknown.message).toMatch(/unsupported subject/);
    const malformed = await ctl.requestRaw(ctlSubject.labelPut(lattice, host.id), '{"key": ');
    expect(malformed.success).toBe(false);
    expect(malformed.message).toMatch(/malformed JSON/);
    const notObject = await ctl.requestRaw(ctlSubject.labelPut(lattice, host.id), '[1,2]');
    expect(notObject.success).toBe(false);
    const badConfig = await ctl.requestRaw(ctlSubject.configPut(lattice, 'c'), '\u0000\u00ff');
    expect(badConfig.success).toBe(false);
    expect((await ctl.getHosts()).map((h) => h.id)).toEqual([host.id]);
    await host.stop();
  });

  it('reconnect - a host whose nats-server restarts reconnects and keeps its identity', async () => {
    const port = await freePort();
    const lattice = latticeFor('reconnect');
    let server = await startNatsServer({ port });
    const storeDir = server.storeDir;
    const host = await startTestHost(server.url, { lattice });
    server.process.kill('SIGKILL');
    await check(() => server.process.exitCode !== null || server.process.signalCode !== null);
    server = await startNatsServer({ port, storeDir });
    await using ctl = await testCtl(server.url, lattice);
    const hosts = await check(async () => {
      const hs = await ctl.getHosts();
      return hs.length ? hs : undefined;
    }, 15_000);
    expect(hosts.map((h) => h.id)).toEqual([host.id]);
    await host.stop();
    await server.stop();
  });
});

describe('connect', () => {
  it('connect - an unreachable server is a LAT_CONNECT error with a hint', async () => {
    const port = await freePort();
    await expect(connectNats({ url: `nats://127.0.0.1:${port}`, timeoutMs: 500 })).rejects.toMatchObject({
      code: LatticeErrorCode.Connect,
    });
  });
});
