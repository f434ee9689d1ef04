/** Runs one scenario under load and checks the invariants. */
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { invokeComponent } from '../../lattice/index.ts';
import { sleep } from '../helpers/index.ts';
import type { ChaosLattice } from './lattice.ts';
import { Load } from './load.ts';
import { rssOf, waitRecovered } from './scenarios.ts';
import type { Scenario } from './scenarios.ts';

export interface ScenarioReport {
  scenario: string;
  requests: number;
  errorRate: number;
  longestGapMs: number;
  recoveryMs: number;
  acked: number;
  lost: number;
  deployed: boolean;
  unexpectedExits: number;
  maxRssMb: number;
  errors: Record<string, number>;
  /** The hello app over HTTP during the same window. */
  http: { requests: number; errorRate: number; longestGapMs: number; errors: Record<string, number> };
  ok: boolean;
}

export async function runScenario(l: ChaosLattice, s: Scenario, loadMs = 2000): Promise<ScenarioReport> {
  const key = `k_${s.name.replace(/[^a-z0-9]/g, '_')}`;
  const load = Load.counter(l.nc, l.lattice, key);
  const web = Load.http(l.helloUrl);
  load.start();
  web.start(4);
  await sleep(loadMs);
  const t0 = Date.now();
  await s.fault(l);
  const probe = async () =>
    (
      (await invokeComponent(
        l.nc,
        l.lattice,
        'counter',
        'wasi:http/incoming-handler.handle',
        [{ method: 'GET', url: 'http://chaos/counter/probe', headers: [] }],
        { timeoutMs: 2000 },
      ).catch(() => undefined)) as { status?: number } | undefined
    )?.status === 200;
  const recoveryMs = await waitRecovered(l, t0, probe).catch(() => -1);
  await sleep(loadMs);
  const r = await load.stop();
  const w = await web.stop();
  if (s.restore) await s.restore(l);
  const kv = await new Kvm(jetstream(l.nc)).open(l.bucket);
  const final = Number((await kv.get(key))?.string() ?? 0);
  const distinct = new Set(r.acked);
  // an acknowledged increment is lost if the stored count is below it, or if two calls were acknowledged the same value
  const lost = r.acked.filter((v) => v > final).length + (r.acked.length - distinct.size);
  const unexpectedExits = l.hosts.filter((h) => !h.killedOnPurpose && h.child.exitCode !== null).length;
  const maxRssMb = Math.max(...l.hosts.map((h) => rssOf(h.child.pid))) / 1024 / 1024;
  const deployed = (await l.appStatus()) === 'deployed';
  const total = r.ok + r.errors;
  return {
    scenario: s.name,
    requests: total,
    errorRate: total ? r.errors / total : 0,
    longestGapMs: r.longestGapMs,
    recoveryMs,
    acked: r.acked.length,
    lost,
    deployed,
    unexpectedExits,
    maxRssMb,
    errors: r.errorCodes,
    http: {
      requests: w.ok + w.errors,
      errorRate: w.ok + w.errors ? w.errors / (w.ok + w.errors) : 0,
      longestGapMs: w.longestGapMs,
      errors: w.errorCodes,
    },
    ok: lost === 0 && deployed && unexpectedExits === 0 && recoveryMs >= 0 && maxRssMb < 1536,
  };
}

/** Renders reports as a table. */
export function renderReports(rows: ScenarioReport[]): string {
  const head = [
    'scenario',
    'calls',
    'err %',
    'longest gap ms',
    'http reqs',
    'http err %',
    'http gap ms',
    'recovery ms',
    'acked',
    'lost',
    'deployed',
    'crashes',
    'max RSS MB',
    'ok',
  ];
  const body = rows.map((r) => [
    r.scenario,
    String(r.requests),
    (r.errorRate * 100).toFixed(1),
    String(r.longestGapMs),
    String(r.http.requests),
    (r.http.errorRate * 100).toFixed(1),
    String(r.http.longestGapMs),
    String(r.recoveryMs),
    String(r.acked),
    String(r.lost),
    r.deployed ? 'yes' : 'NO',
    String(r.unexpectedExits),
    r.maxRssMb.toFixed(0),
    r.ok ? 'yes' : 'NO',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i] ?? 0)).join(' | ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('-|-'), ...body.map(line)].join('\n');
}
