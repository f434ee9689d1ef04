import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { startUiServer } from '../../host/cli/index.ts';
import { Controller } from '../../host/controller/index.ts';
import { createLogger } from '../../host/index.ts';
import {
  NatsServer,
  fixtureRef,
  latticeFor,
  launchChromium,
  runCli,
  startTestHost,
  testCtl,
  wadmApi,
  rawNatsOf,
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

describe('dashboard', () => {
  it('weft ui - shows hosts and updates live when the CLI changes the lattice', async () => {
    const lattice = latticeFor('ui');
    const host = await startTestHost(ns.url, { lattice, labels: { zone: 'eu' } });
    await using ctl = await testCtl(ns.url, lattice);
    const ui = await startUiServer(ctl, 0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(ui.url);
      await page.locator(`[data-host-id="${host.id}"]`).waitFor({ timeout: 10_000 });
      expect(await page.locator(`[data-host-id="${host.id}"] .label`).allTextContents()).toContain('zone=eu');
      await page.locator('#live.on').waitFor({ timeout: 10_000 });
      // change the lattice with the CLI: the page updates without reloading
      const common = ['--nats-url', ns.url, '--lattice', lattice];
      expect((await runCli(['label', host.id, 'tier=edge', ...common])).code).toBe(0);
      await page.locator(`[data-host-id="${host.id}"] .label`, { hasText: 'tier=edge' }).waitFor({ timeout: 10_000 });
      await page.locator('#events details[data-kind="labels_changed"]').waitFor({ timeout: 10_000 });
      expect(
        (await runCli(['link', 'put', 'counter', 'kv', 'wasi', 'keyvalue', '--interface', 'store', ...common])).code,
      ).toBe(0);
      await page.locator('#links tr.link', { hasText: 'counter' }).waitFor({ state: 'attached', timeout: 10_000 });
      await page.locator('#graph .edge-label', { hasText: 'wasi:keyvalue/store' }).waitFor({ timeout: 10_000 });
      await page.locator('svg .edge').first().waitFor({ state: 'attached', timeout: 10_000 });
      // scale a component with the CLI: it appears under its host
      const scaled = await runCli([
        'scale',
        'component',
        host.id,
        fixtureRef('adder.component.wasm'),
        'adder',
        '--max',
        '2',
        ...common,
      ]);
      expect(scaled.code, scaled.stderr).toBe(0);
      await page
        .locator(`[data-host-id="${host.id}"] tr.component[data-component-id="adder"]`)
        .waitFor({ timeout: 10_000 });
      // deploy an application through the wadm API: it appears with its status
      const ctrl = await Controller.start({
        nc: rawNatsOf(ctl),
        lattice,
        logger: createLogger('warn'),
        reconcileMs: 300,
        heartbeatIntervalSec: 30,
      });
      const manifest = `apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: { name: calc, annotations: { version: v1 } }\nspec:\n  components:\n    - name: adder2\n      type: component\n      properties: { image: '${fixtureRef('adder.component.wasm')}', id: adder2 }\n      traits: [{ type: spreadscaler, properties: { instances: 1 } }]\n`;
      const api = wadmApi(rawNatsOf(ctl), lattice);
      await api('put', undefined, manifest);
      await api('deploy', 'calc');
      await page.locator('tr.app[data-app="calc"] td.status-deployed').waitFor({ timeout: 20_000 });
      await page.screenshot({ path: `${SHOTS}/dashboard-hosts-links.png`, fullPage: true });
      await ctrl.stop();
    } finally {
      await browser.close();
      await ui.close();
      await host.stop();
    }
  }, 90_000);
});
