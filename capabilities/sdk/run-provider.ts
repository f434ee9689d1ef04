import { createInterface } from 'node:readline';
import {
  connectNats,
  decodeLink,
  decodeLinkDefinition,
  decodeRpc,
  decodeShutdownRequest,
  encodeRpc,
  errorHeaders,
  rpcSubject,
  RpcHeader,
  WitError,
} from '../../lattice/index.ts';
import type { Link, Provider, ResolvedLink } from '../../lattice/index.ts';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { decodeHostData } from './host-data.ts';
import type { HostData } from './host-data.ts';

/** Subjects of the provider ⇄ host protocol (wasmCloud §5). */
export const providerSubject = {
  health: (lattice: string, id: string): string => `wasmbus.rpc.${lattice}.${id}.health`,
  shutdown: (lattice: string, id: string): string => `wasmbus.rpc.${lattice}.${id}.default.shutdown`,
  linkPut: (lattice: string, id: string): string => `wasmbus.rpc.${lattice}.${id}.linkdefs.put`,
  linkDel: (lattice: string, id: string): string => `wasmbus.rpc.${lattice}.${id}.linkdefs.del`,
};

/**
 * Reads HostData, the first line on stdin. The host keeps stdin open while it lives: `onHostGone` runs when it
 * closes, which is how a provider learns that its host died (even by kill -9) instead of running on orphaned.
 */
function readHostData(onHostGone: () => void): Promise<HostData> {
  const rl = createInterface({ input: process.stdin });
  return new Promise((resolve, reject) => {
    let got = false;
    rl.once('line', (line) => {
      got = true;
      try {
        resolve(decodeHostData(line));
      } catch (err) {
        reject(err as Error);
      }
    });
    rl.once('close', () =>
      got
        ? onHostGone()
        : reject(
            new Error('no HostData on stdin: external providers are started by a weft host (weft start provider)'),
          ),
    );
  });
}

/**
 * Runs a provider as its own process: reads HostData from stdin, connects to the lattice, serves component calls
 * (`wasmbus.rpc.{lattice}.{id}.{iface}.{func}`, queue group `{lattice}.{id}`), and, without a queue group so every
 * instance gets them, health checks, link put/delete and shutdown (for its own host only). Exits 0 on shutdown or SIGTERM.
 */
export async function runProvider(provider: Provider): Promise<void> {
  let hostGone = (): void => process.exit(0); // until the provider is up: nothing to shut down yet
  const hd = await readHostData(() => hostGone());
  const nc = await connectNats({
    url: hd.lattice_rpc_url,
    seed: hd.lattice_rpc_user_seed,
    jwt: hd.lattice_rpc_user_jwt,
    persistent: true,
    name: `weft-provider-${hd.provider_key}`,
  });
  const lattice = hd.lattice_rpc_prefix;
  const id = hd.provider_key;
  const links = new Map<string, ResolvedLink>();
  const log = (level: string) => (o: Record<string, unknown>, msg: string) =>
    process.stderr.write(JSON.stringify({ level, provider_id: id, ...o, msg }) + '\n');
  await provider.init({
    providerId: id,
    hostId: hd.host_id,
    lattice,
    nc,
    config: hd.config,
    invoke: async (target, op, args, o) =>
      decodeRpc(
        (
          await nc.request(rpcSubject.invoke(lattice, target, op), encodeRpc(args), {
            timeout: o?.timeoutMs ?? hd.default_rpc_timeout_ms,
          })
        ).data,
      ),
    log: { info: log('info'), warn: log('warn'), error: log('error') },
  });
  const key = (l: Link): string => `${l.source_id}|${l.wit_namespace}:${l.wit_package}|${l.name}`;
  const put = async (l: ResolvedLink): Promise<void> => {
    links.set(key(l), l);
    if (l.source_id === id) await provider.onLinkAsSource?.(l);
    else await provider.onLinkAsTarget?.(l);
  };
  for (const l of hd.link_definitions as ResolvedLink[]) await put(l);
  const prefix = rpcSubject.invoke(lattice, id, '');
  const fail = (m: Msg, err: unknown): void => {
    const e = err as Error & { code?: string };
    m.respond(new Uint8Array(), {
      headers:
        err instanceof WitError
          ? errorHeaders('WIT_ERROR', JSON.stringify(err.value))
          : errorHeaders(e.code ?? 'PROVIDER_ERROR', e.message),
    });
  };
  // component calls being served, so a stop lets them finish (its host died: the callers are elsewhere and waiting)
  const inflight = new Set<Promise<void>>();
  const subs: Subscription[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all(subs.map((s) => s.drain().catch(() => undefined))); // no new calls; those received are served
      await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 2000))]);
      await provider.shutdown();
      await nc.drain().catch(() => undefined);
      process.exit(0);
    })());
  // Control messages reach every instance of this provider (one per host), so no queue group: each one keeps the
  // links of the lattice, answers health, and only the instance of the host named in a shutdown request stops.
  const control: Record<string, (m: Msg) => Promise<void>> = {
    health: async (m) => void m.respond(JSON.stringify(await (provider.health?.() ?? { healthy: true }))),
    'default.shutdown': async (m) => {
      const to = decodeShutdownRequest(m.data).host_id;
      if (to && to !== hd.host_id) return;
      m.respond(JSON.stringify({ success: true }));
      await stop();
    },
    'linkdefs.put': async (m) => {
      await put(decodeLinkDefinition(m.data));
      m.respond('{}');
    },
    'linkdefs.del': async (m) => {
      const l = decodeLink(m.data);
      links.delete(key(l));
      await provider.onLinkDeleted?.(l, l.source_id === id ? 'source' : 'target');
      m.respond('{}');
    },
  };
  for (const [op, handle] of Object.entries(control)) {
    subs.push(
      nc.subscribe(`${prefix}${op}`, { callback: (_e, m) => void handle(m).catch((err: unknown) => fail(m, err)) }),
    );
  }
  // Component calls: one instance answers each (queue group `{lattice}.{id}`)
  subs.push(
    nc.subscribe(rpcSubject.target(lattice, id), {
      queue: rpcSubject.queue(lattice, id),
      callback: (_e, m) => {
        const op = m.subject.slice(prefix.length);
        if (op in control) return;
        const call = (async () => {
          const dot = op.lastIndexOf('.');
          const iface = op.slice(0, dot);
          const source = m.headers?.get(RpcHeader.SourceId) ?? '';
          const linkName = m.headers?.get(RpcHeader.LinkName) || 'default';
          const link = links.get(`${source}|${iface.split('/')[0]}|${linkName}`);
          if (!link)
            throw Object.assign(new Error(`provider ${id} has no link from ${source} for ${iface} (${linkName})`), {
              code: 'HOST_LINK_NOT_FOUND',
            });
          m.respond(
            encodeRpc(
              await provider.handleImport?.(
                source,
                link,
                iface,
                op.slice(dot + 1),
                (decodeRpc(m.data) ?? []) as unknown[],
              ),
            ),
          );
        })().catch((err: unknown) => fail(m, err));
        inflight.add(call);
        void call.finally(() => inflight.delete(call));
      },
    }),
  );
  await nc.flush();
  process.stderr.write(JSON.stringify({ level: 'info', provider_id: id, msg: 'provider ready' }) + '\n');
  process.once('SIGTERM', () => void stop().catch(() => process.exit(1)));
  process.once('SIGINT', () => void stop().catch(() => process.exit(1)));
  hostGone = () => {
    log('warn')({}, 'the host that started this provider is gone (stdin closed): shutting down');
    void stop().catch(() => process.exit(1));
  };
}
