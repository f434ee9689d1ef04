import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { startUiServer } from '../../host/cli/index.ts';
import {
  NatsServer,
  assertScaleComponent,
  check,
  fixtureRef,
  latticeFor,
  launchChromium,
  scaleAndWait,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';
import { misbehavingComponent } from '../fixtures/wat/build-wat-components.ts';

let ns: RunningNatsServer;
const SHOTS = 'test-results/screenshots';
beforeAll(async () => {
  ns = await NatsServer.start();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await ns?.stop();
});

describe('dashboard traffic', () => {
  it('weft ui - traffic moves the chart, a failing scale is highlighted, a node shows its details, a stopped host leaves', async () => {
    const lattice = latticeFor('ui-traffic');
    const a = await startTestHost(ns.url, {
      lattice,
      metricsIntervalSec: 0.5,
      heartbeatIntervalSec: 2,
      labels: { zone: 'eu' },
    });
    const b = await startTestHost(ns.url, {
      lattice,
      metricsIntervalSec: 0.5,
      heartbeatIntervalSec: 2,
      labels: { zone: 'us' },
    });
    await using ctl = await testCtl(ns.url, lattice);
    const ui = await startUiServer(ctl, 0);
    const browser = await launchChromium();
    const outside: string[] = [];
    let load: Promise<void> | undefined;
    let loading = true;
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      // nothing the page loads may come from anywhere but the dashboard server
      page.on('request', (r) => void (r.url().startsWith(ui.url) || outside.push(r.url())));
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await assertScaleComponent(ctl, {
        host_id: a.id,
        component_ref: fixtureRef('adder.component.wasm'),
        component_id: 'adder',
        count: 4,
      });
      await ctl.putLink({
        source_id: 'adder',
        target: 'kv',
        name: 'default',
        wit_namespace: 'wasi',
        wit_package: 'keyvalue',
        interfaces: ['store'],
        source_config: [],
        target_config: [],
      });
      await page.goto(ui.url);
      await page.locator(`[data-host-id="${a.id}"]`).waitFor({ timeout: 10_000 });
      await page.locator(`[data-host-id="${b.id}"] [data-figure="RSS"]`).waitFor({ timeout: 10_000 });
      // drive traffic at adder: its card appears and its rate goes above zero
      let calls = 0;
      load = (async () => {
        const call = (): Promise<unknown> => ctl.invoke('adder', 'docs:adder/add.add', [2, 3]).then(() => calls++);
        while (loading) await Promise.allSettled(Array.from({ length: 8 }, call));
      })();
      const card = page.locator('.traffic-card[data-component-id="adder"]');
      await card.waitFor({ timeout: 15_000 });
      await check(
        async () =>
          Number(await card.getAttribute('data-peak')) > 5 && Number(await card.getAttribute('data-points')) >= 3,
        20_000,
      );
      expect(await card.locator('canvas').count()).toBeGreaterThanOrEqual(2);
      expect(await card.locator('.now .rate').textContent()).toMatch(/calls\/s/);
      // the link graph: laid-out nodes and a labelled edge; a click shows the component's details
      await page.locator('#graph [data-node="adder"]').click();
      const details = page.locator('#details');
      await details.locator('h3[data-details="adder"]').waitFor({ timeout: 5000 });
      expect(await details.textContent()).toMatch(/sha256:[0-9a-f]{64}/);
      expect(await details.textContent()).toContain('adder.component.wasm');
      expect(await page.locator('#graph .edge-label', { hasText: 'wasi:keyvalue/store' }).count()).toBe(1);
      // a failing scale: highlighted among the failures and kept there
      const failed = await scaleAndWait(ctl, {
        host_id: b.id,
        component_ref: 'file:///nonexistent/broken.wasm',
        component_id: 'broken',
        count: 1,
      });
      expect(failed.type).toMatch(/component_scale_failed$/);
      const failure = page.locator('#failures .failure[data-kind="component_scale_failed"]', { hasText: 'broken' });
      await failure.waitFor({ timeout: 10_000 });
      await check(
        async () => (await failure.evaluate((el) => getComputedStyle(el).borderLeftColor)) === 'rgb(248, 81, 73)',
        5000,
      );
      // a guest that traps: its fault (no lattice event says so) is taken from the metrics samples and kept
      const dir = await mkdtemp(join(tmpdir(), 'weft-ui-trap-'));
      await writeFile(join(dir, 'misbehave.wasm'), await misbehavingComponent());
      await assertScaleComponent(ctl, {
        host_id: a.id,
        component_ref: `file://${join(dir, 'misbehave.wasm')}`,
        component_id: 'misbehave',
        count: 1,
      });
      for (let i = 0; i < 3; i++)
        await ctl.invoke('misbehave', 'boom', []).then(
          () => expect.unreachable(),
          (err: { code?: string }) => expect(err.code).toBe('COMP_TRAP'),
        );
      await page
        .locator('#failures .failure[data-kind="guest_fault"]', { hasText: 'misbehave' })
        .waitFor({ timeout: 10_000 });
      expect(await page.locator('#failures .failure[data-kind="guest_fault"]').first().textContent()).toContain(
        'COMP_TRAP',
      );
      // heartbeats are a status line, not a list
      await page.locator(`#status-line [data-routine="${a.id}"]`).waitFor({ timeout: 10_000 });
      expect(await page.locator('#events details[data-kind="host_heartbeat"]').count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}/dashboard-traffic.png`, fullPage: true });
      // stop a host: it leaves the page
      await b.stop();
      await page.locator(`[data-host-id="${b.id}"]`).waitFor({ state: 'detached', timeout: 10_000 });
      await page.screenshot({ path: `${SHOTS}/dashboard-host-left.png`, fullPage: true });
      expect(calls).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
    } finally {
      loading = false;
      await load?.catch(() => undefined);
      await browser.close();
      await ui.close();
      await a.stop();
      await b.stop();
    }
  }, 120_000);
});
