import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { startUiServer } from '../../host/cli/index.ts';
import {
  NatsServer,
  actorRef,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  launchChromium,
  startRedis,
  startTestHost,
  testCtl,
  linkOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
const SHOTS = 'test-results/screenshots';
beforeAll(async () => {
  ns = await NatsServer.start();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await ns?.stop();
});

describe('dashboard with an app', () => {
  it('weft ui - the KV counter behind HTTP and Redis under load: the graph shows the address on the http-server edge, the chart moves', async () => {
    const lattice = latticeFor('ui-app');
    await using redis = await startRedis();
    const ref = await actorRef('kv-counter');
    const host = await startTestHost(ns.url, {
      lattice,
      metricsIntervalSec: 1,
      heartbeatIntervalSec: 2,
      labels: { zone: 'eu-west' },
    });
    await using ctl = await testCtl(ns.url, lattice);
    const ui = await startUiServer(ctl, 0);
    const browser = await launchChromium();
    let loading = true;
    let load: Promise<void> | undefined;
    try {
      await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
      await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-redis', 'redis');
      await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'counter', count: 8 });
      const port = await freePort();
      await ctl.putConfig('counter-http', { address: `127.0.0.1:${port}` });
      await ctl.putConfig('counter-redis', { URL: redis.url });
      await ctl.putLink(
        linkOf('http', 'counter', 'wasi:http', ['incoming-handler'], { source_config: ['counter-http'] }),
      );
      await ctl.putLink(
        linkOf('counter', 'redis', 'wasi:keyvalue', ['store', 'atomics'], { target_config: ['counter-redis'] }),
      );
      await check(async () => (await fetch(`http://127.0.0.1:${port}/counter/a`).catch(() => undefined))?.ok, 20_000);
      load = (async () => {
        const get = (): Promise<unknown> =>
          fetch(`http://127.0.0.1:${port}/counter/hits`).then(
            (r) => r.arrayBuffer(),
            () => undefined,
          );
        while (loading) await Promise.allSettled(Array.from({ length: 8 }, get));
      })();
      const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
      await page.goto(ui.url);
      const edge = page.locator('#graph .edge-label', { hasText: `http://127.0.0.1:${port}` });
      await edge.waitFor({ timeout: 15_000 });
      expect(await edge.textContent()).toContain('wasi:http/incoming-handler');
      expect(await page.locator('#graph .edge-label', { hasText: 'wasi:keyvalue/store,atomics' }).count()).toBe(1);
      const card = page.locator('.traffic-card[data-component-id="counter"]');
      await check(
        async () => Number(await card.getAttribute('data-points').catch(() => '0')) >= 12 || undefined,
        40_000,
      );
      expect(Number(await card.getAttribute('data-peak'))).toBeGreaterThan(1);
      // the node details: never a config value (the Redis URL), only names
      await page.locator('#graph [data-node="counter"]').click();
      await page.locator('#details h3[data-details="counter"]').waitFor({ timeout: 5000 });
      expect(await page.locator('body').textContent()).not.toContain(redis.url);
      await page.screenshot({ path: `${SHOTS}/dashboard-app.png` });
    } finally {
      loading = false;
      await load?.catch(() => undefined);
      await browser.close();
      await ui.close();
      await host.stop();
    }
  }, 120_000);
});
