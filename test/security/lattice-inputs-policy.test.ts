/**
 * The policy service's subjects are lattice input too: forged decisions (no or another requestId, a non-boolean
 * `permitted`) deny, and junk on the changes topic is ignored, while the host keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CtlClient, RunningNatsServer } from '../../lattice/index.ts';
import type { Host } from '../../host/index.ts';
import {
  fixtureRef,
  latticeFor,
  NatsServer,
  scaleAndWait,
  startTestHost,
  testCtl,
  rawNatsOf,
} from '../helpers/index.ts';
import { JUNK, publishAll } from './lattice-inputs-payloads.ts';

const lattice = latticeFor('secin_policy');
const POLICY = `secin.policy.${Date.now()}`;
let ns: RunningNatsServer;
let c: Host;
let ctl: CtlClient & AsyncDisposable;

beforeAll(async () => {
  ns = await NatsServer.start();
  c = await startTestHost(ns.url, {
    lattice,
    heartbeatIntervalSec: 0.5,
    labels: { policy: 'yes' },
    policy: { topic: POLICY, changesTopic: `${POLICY}.changes`, timeoutMs: 500 },
  });
  ctl = await testCtl(ns.url, lattice);
}, 60_000);

afterAll(async () => {
  await c?.stop();
  await ctl?.[Symbol.asyncDispose]();
  await ns?.stop();
});

describe('hostile lattice input: policy', () => {
  it('policy: forged replies (no or another requestId, non-boolean permitted) deny; junk on the changes topic is ignored; the host keeps serving', async () => {
    const forger = rawNatsOf(ctl).subscribe(POLICY, {
      callback: (_e, m) => {
        const n = Math.floor(Math.random() * 3);
        m.respond(
          [
            JSON.stringify({ permitted: true }),
            JSON.stringify({ requestId: 'someone-else', permitted: true }),
            JSON.stringify({ requestId: m.json<{ requestId: string }>().requestId, permitted: 'yes' }),
          ][n]!,
        );
      },
    });
    try {
      await publishAll(
        rawNatsOf(ctl),
        [`${POLICY}.changes`],
        [...JUNK, JSON.stringify({ requestId: 'r', permitted: true })],
      );
      for (let i = 0; i < 3; i++) {
        const e = await scaleAndWait(ctl, {
          host_id: c.id,
          component_ref: fixtureRef('adder.component.wasm'),
          component_id: `p${i}`,
          count: 1,
        });
        expect(e.type).toBe('com.wasmcloud.lattice.component_scale_failed');
        expect(String(e.data['error'])).toMatch(/policy/);
      }
    } finally {
      forger.unsubscribe();
    }
    expect((await ctl.getHosts()).map((h) => h.id)).toContain(c.id);
  }, 30_000);
});
