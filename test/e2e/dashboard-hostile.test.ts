import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, metricsSubject } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { startUiServer } from '../../host/cli/index.ts';
import { NatsServer, check, latticeFor, launchChromium, startTestHost, testCtl } from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

const MARKUP = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

describe('dashboard hostile input', () => {
  it('weft ui - forged and junk metrics samples are dropped, markup in lattice fields is shown as text, the page keeps updating', async () => {
    const lattice = latticeFor('ui-hostile');
    const host = await startTestHost(ns.url, { lattice, metricsIntervalSec: 0.5, heartbeatIntervalSec: 2 });
    await using ctl = await testCtl(ns.url, lattice);
    const ui = await startUiServer(ctl, 0);
    const evil = await connectNats({ url: ns.url });
    const browser = await launchChromium();
    try {
      await ctl.putLabel(host.id, 'note', MARKUP);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(ui.url);
      await page.locator(`[data-host-id="${host.id}"] [data-figure="RSS"]`).waitFor({ timeout: 10_000 });
      await page.locator(`[data-host-id="${host.id}"] .label`, { hasText: 'note=' }).waitFor({ timeout: 10_000 });
      const good = {
        host_id: host.id,
        time_ms: Date.now(),
        interval_ms: 500,
        components: [{ id: 'forged', invocations: 1e9, errors: {} }],
      };
      const junk: [string, string][] = [
        [metricsSubject.host(lattice, host.id), 'not json {'],
        [
          metricsSubject.host(lattice, host.id),
          JSON.stringify({ ...good, components: [{ id: MARKUP, invocations: 1 }] }),
        ],
        [metricsSubject.host(lattice, host.id), JSON.stringify({ ...good, cpu_percent: -1 })],
        [metricsSubject.host(lattice, host.id), JSON.stringify({ ...good, components: 'all' })],
        [metricsSubject.host(lattice, host.id), JSON.stringify({ ...good, host_id: 'NOTHER' })],
        // a well-formed sample for a host the lattice does not have, and one describing the real host on another's subject
        [metricsSubject.host(lattice, 'NFAKEHOST'), JSON.stringify({ ...good, host_id: 'NFAKEHOST' })],
        [metricsSubject.host(lattice, 'NFAKEHOST'), JSON.stringify(good)],
        [metricsSubject.host(lattice, host.id), JSON.stringify([good])],
        [metricsSubject.host(lattice, host.id), 'x'.repeat(200_000)],
      ];
      for (const [subject, data] of junk) evil.publish(subject, data);
      await evil.flush();
      // the real host's samples still arrive; nothing forged reached the model or the page
      const before = ui.view.traffic().hosts[host.id]!.t.length;
      await check(() => (ui.view.traffic().hosts[host.id]?.t.length ?? 0) > before + 2 || undefined, 10_000);
      const t = ui.view.traffic();
      expect(Object.keys(t.hosts)).toEqual([host.id]);
      expect(t.components['forged']).toBeUndefined();
      expect(Object.keys(t.components).some((id) => id.includes('<'))).toBe(false);
      // markup from a label is text on the page, never elements or script
      const label = await page.locator(`[data-host-id="${host.id}"] .label`, { hasText: 'note=' }).textContent();
      expect(label).toBe(`note=${MARKUP}`);
      expect(await page.locator('#hosts img, #hosts script').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('[data-host-id="NFAKEHOST"]').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await evil.close();
      await ui.close();
      await host.stop();
    }
  }, 90_000);
});
