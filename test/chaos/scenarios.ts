/** Fault scenarios: each injects one fault into a running chaos lattice and says how to tell it recovered. */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { ctlSubject, findNatsServerBin, rpcSubject } from '../../lattice/index.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invokeComponent } from '../../lattice/index.ts';
import { misbehavingComponent } from '../fixtures/wat/build-wat-components.ts';
import { check, sleep } from '../helpers/index.ts';
import { hostileInputs, removeHostileKeys } from './hostile-inputs.ts';
import { EXTERNAL_KV } from './lattice.ts';
import type { ChaosLattice } from './lattice.ts';

export interface Scenario {
  name: string;
  description: string;
  /** Injects the fault; resolves once the fault is in place. */
  fault(l: ChaosLattice): Promise<void>;
  /** Restores the lattice's shape for the next scenario (replacement hosts, restarted servers). */
  restore?(l: ChaosLattice): Promise<void>;
}

const replaceHost = async (l: ChaosLattice, i: number): Promise<void> => {
  const h = l.hosts[i]!;
  h.killedOnPurpose = true;
  l.hosts[i] = await l.startHost(i);
};

export const SCENARIOS: Scenario[] = [
  {
    name: 'kill-9-host',
    description: 'kill -9 a host process under load',
    fault: async (l) => {
      l.hosts[0]!.killedOnPurpose = true;
      l.hosts[0]!.child.kill('SIGKILL');
    },
    restore: (l) => replaceHost(l, 0),
  },
  {
    name: 'sigterm-host',
    description: 'SIGTERM a host: graceful drain',
    fault: async (l) => {
      l.hosts[1]!.killedOnPurpose = true;
      l.hosts[1]!.child.kill('SIGTERM');
      await new Promise((r) => l.hosts[1]!.child.once('exit', r));
    },
    restore: (l) => replaceHost(l, 1),
  },
  {
    name: 'nats-node-restart',
    description: 'kill -9 one nats-server of three, restart it 3 s later',
    fault: async (l) => {
      const s = l.cluster.servers[1]!;
      s.process.kill('SIGKILL');
      await sleep(3000);
      const child = spawn(findNatsServerBin(), ['-c', s.configFile], { stdio: 'ignore' });
      l.cluster.servers[1] = {
        ...s,
        process: child,
        pid: child.pid ?? 0,
        stop: async () => void child.kill('SIGKILL'),
      };
    },
  },
  {
    name: 'sigstop-host',
    description: 'SIGSTOP a host past the heartbeat threshold, then SIGCONT',
    fault: async (l) => {
      const h = l.hosts[2]!;
      h.child.kill('SIGSTOP');
      await sleep(4500);
      h.child.kill('SIGCONT');
    },
  },
  {
    name: 'misbehaving-guests',
    description: 'a guest that loops forever and one that allocates without bound, beside the counter',
    fault: async (l) => {
      const bytes = await misbehavingComponent();
      const file = join(l.home, 'misbehave.wasm');
      await writeFile(file, bytes);
      for (const h of l.hosts)
        await l.ctl.scaleComponent({ host_id: h.id, component_ref: `file://${file}`, component_id: 'bad', count: 4 });
      await check(async () => (await invokeComponent(l.nc, l.lattice, 'bad', 'ok', [1]).catch(() => 0)) === 2, 20_000);
      const calls = [];
      for (let i = 0; i < 6; i++)
        calls.push(
          invokeComponent(l.nc, l.lattice, 'bad', i % 2 ? 'spin' : 'hog', [], { timeoutMs: 10_000 }).catch(
            () => undefined,
          ),
        );
      await Promise.all(calls);
    },
    restore: async (l) => {
      for (const h of l.hosts)
        await l.ctl
          .scaleComponent({ host_id: h.id, component_ref: 'file:///x.wasm', component_id: 'bad', count: 0 })
          .catch(() => undefined);
    },
  },
  {
    name: 'kill-external-provider',
    description: 'kill -9 the external key-value provider process on every host; hosts restart them',
    fault: async (l) => {
      const pids = providerPids(l);
      if (!pids.length) throw new Error('no external provider process found');
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      // the hosts notice and start new ones (with back-off)
      await check(() => providerPids(l).filter((p) => !pids.includes(p)).length >= l.hosts.length, 30_000, 100);
    },
  },
  {
    name: 'malformed-flood',
    description: '2,000 malformed and oversize messages on ctl and actor subjects',
    fault: async (l) => {
      const big = new Uint8Array(900 * 1024).fill(0xc1);
      const subjects = [
        ...l.hosts.flatMap((h) => [
          ctlSubject.componentScale(l.lattice, h.id),
          ctlSubject.labelPut(l.lattice, h.id),
          ctlSubject.hostGet(l.lattice, h.id),
        ]),
        ctlSubject.linkPut(l.lattice),
        ctlSubject.configPut(l.lattice, 'x'),
        rpcSubject.invoke(l.lattice, 'counter', 'wasi:http/incoming-handler.handle'),
        rpcSubject.invoke(l.lattice, 'counter', 'nope'),
      ];
      for (let i = 0; i < 2000; i++) {
        const s = subjects[i % subjects.length]!;
        const payload =
          i % 50 === 0
            ? big
            : i % 3 === 0
              ? '{"component_ref": 1'
              : i % 3 === 1
                ? new Uint8Array([0xc1, 0xff, i & 0xff])
                : JSON.stringify({ count: -i });
        l.nc.publish(s, payload);
      }
      await l.nc.flush();
    },
  },
  {
    name: 'hostile-inputs',
    description:
      'junk and forged events, heartbeats, KV entries (links, config, claims, manifests, lease), ctl, rpc, provider and wadm messages',
    fault: hostileInputs,
    restore: removeHostileKeys,
  },
];

/** Pids of the external keyvalue-nats provider processes whose parent is one of the lattice's hosts. */
function providerPids(l: ChaosLattice): number[] {
  const hostPids = new Set(l.hosts.map((h) => h.child.pid));
  const out: number[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${d}/status`, 'utf8'))?.[1]);
      if (cmd.includes(EXTERNAL_KV) && hostPids.has(ppid)) out.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** RSS of a process in bytes (Linux /proc). */
export function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Waits until the app is deployed again and a fresh call succeeds; returns the time it took (ms). */
export async function waitRecovered(
  l: ChaosLattice,
  since: number,
  probe: () => Promise<boolean>,
  ms = 60_000,
): Promise<number> {
  await check(async () => (await l.appStatus()) === 'deployed' && (await probe()), ms, 100);
  return Date.now() - since;
}
