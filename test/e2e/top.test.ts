import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  CLI_MAIN,
  NatsServer,
  assertScaleComponent,
  check,
  fixtureRef,
  latticeFor,
  runCli,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

const run = promisify(execFile);
const tmux = (...args: string[]): Promise<{ stdout: string }> => run('tmux', args);
let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

describe('weft top', () => {
  it('weft top - in a pseudo-terminal (tmux) shows a component rate under load and its host, q quits', async () => {
    const lattice = latticeFor('top');
    const host = await startTestHost(ns.url, { lattice, metricsIntervalSec: 0.5, heartbeatIntervalSec: 2 });
    await using ctl = await testCtl(ns.url, lattice);
    const session = `weft-top-${process.pid}-${Date.now()}`;
    let loading = true;
    let load: Promise<void> | undefined;
    try {
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: fixtureRef('adder.component.wasm'),
        component_id: 'adder',
        count: 4,
      });
      load = (async () => {
        const call = (): Promise<unknown> => ctl.invoke('adder', 'docs:adder/add.add', [1, 2]);
        while (loading) await Promise.allSettled(Array.from({ length: 8 }, call));
      })();
      const cmd = [process.execPath, CLI_MAIN, 'top', '--nats-url', ns.url, '--lattice', lattice, '--interval', '300'];
      await tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40', cmd.map((a) => `'${a}'`).join(' '));
      const screen = async (): Promise<string> => (await tmux('capture-pane', '-p', '-t', session)).stdout;
      // the adder row with a rate above zero, and the host with its figures
      const shown = await check(async () => {
        const s = await screen();
        const row = s.split('\n').find((l) => l.startsWith('adder '));
        const rate = Number(row?.trim().split(/\s+/)[1]);
        return rate > 0 && s.includes(host.friendlyName) && /MiB/.test(s) ? s : undefined;
      }, 30_000);
      expect(shown).toMatch(/weft top · lattice/);
      expect(shown).toMatch(/COMPONENT\s+CALLS\/S\s+ERR\/S\s+P50 ms\s+P99 ms/);
      await tmux('send-keys', '-t', session, 'q');
      // -o json: one snapshot, for scripts
      const json = await runCli([
        'top',
        '-o',
        'json',
        '--sample-for',
        '1500',
        '--nats-url',
        ns.url,
        '--lattice',
        lattice,
      ]);
      expect(json.code, json.stderr).toBe(0);
      const snap = JSON.parse(json.stdout) as {
        hosts: { host_id: string; rss_bytes: number }[];
        components: { id: string; rate: number }[];
      };
      expect(snap.hosts[0]).toMatchObject({ host_id: host.id });
      expect(snap.hosts[0]!.rss_bytes).toBeGreaterThan(0);
      expect(snap.components.find((c) => c.id === 'adder')!.rate).toBeGreaterThan(0);
      await check(
        async () =>
          (await tmux('has-session', '-t', session).then(
            () => false,
            () => true,
          )) || undefined,
        10_000,
      );
    } finally {
      loading = false;
      await load?.catch(() => undefined);
      await tmux('kill-session', '-t', session).catch(() => undefined);
      await host.stop();
    }
  }, 90_000);
});
