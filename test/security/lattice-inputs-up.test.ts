/**
 * A `weft up` process (host and controller in one process) against hostile events: the payloads that used to end
 * it ({} and a truncated heartbeat) among the junk of lattice-inputs-payloads.ts.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evtSubject } from '../../lattice/index.ts';
import type { CtlClient, RunningNatsServer } from '../../lattice/index.ts';
import { check, latticeFor, NatsServer, spawnCli, testCtl, waitForOutput, rawNatsOf } from '../helpers/index.ts';
import { FORGED, JUNK, publishAll } from './lattice-inputs-payloads.ts';

const lattice = latticeFor('secin_up');
let ns: RunningNatsServer;
let ctl: CtlClient & AsyncDisposable;

beforeAll(async () => {
  ns = await NatsServer.start();
  ctl = await testCtl(ns.url, lattice);
});

afterAll(async () => {
  await ctl?.[Symbol.asyncDispose]();
  await ns?.stop();
});

describe('hostile lattice input: weft up', () => {
  it('a weft up process (host and controller) survives the events that used to end it: {} and a truncated heartbeat', async () => {
    const child = spawnCli(
      [
        'up',
        '--nats-url',
        ns.url,
        '--lattice',
        lattice,
        '--heartbeat-interval',
        '1',
        '--log-level',
        'warn',
        '-o',
        'json',
      ],
      { WEFT_HOME: await mkdtemp(join(tmpdir(), 'weft-secin-')) },
    );
    try {
      const id = (JSON.parse(await waitForOutput(child, (o) => o.includes('"host_id"'), 30_000)) as { host_id: string })
        .host_id;
      await publishAll(
        rawNatsOf(ctl),
        [evtSubject.event(lattice, 'anything'), evtSubject.event(lattice, 'host_heartbeat')],
        [...JUNK, ...FORGED],
      );
      // the controller of weft up has handled them (and a few passes) by the time its host has beaten twice more
      const beats = async () => (await ctl.getHostInventory(id)).uptime_seconds;
      const t0 = await beats();
      await check(async () => (await beats()) >= t0 + 2, 15_000);
      expect(child.exitCode).toBeNull();
      expect((await ctl.getHosts()).map((h) => h.id)).toContain(id);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
    }
  }, 60_000);
});
