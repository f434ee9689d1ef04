import { announceReady, connectNats, withoutSealed } from '../../lattice/index.ts';
import type { Provider } from '../../lattice/index.ts';
import { processContext, serveCalls, stderrLog } from './provider-process.ts';
import { serveProviderControl } from './provider-control.ts';
import { ProviderLinks } from './provider-links.ts';
import { ProcessLinkSecrets } from './provider-secrets.ts';
import { readHostData } from './stdin-host-data.ts';

/**
 * Runs a provider as its own process (wasmCloud §5): HostData from stdin, its own NATS connection, component calls
 * served by `serveRpc` in queue group `{lattice}.{id}`, the control subjects (health, links, shutdown) on every
 * instance, then the readiness handshake with its host. Exits 0 on shutdown, SIGTERM, or when its host goes.
 */
export async function runProvider(provider: Provider): Promise<void> {
  let hostGone = (): void => process.exit(0); // until the provider is up: nothing to shut down yet
  const hd = await readHostData(() => hostGone());
  const [lattice, id] = [hd.lattice_rpc_prefix, hd.provider_key];
  const nc = await connectNats({
    url: hd.lattice_rpc_url,
    seed: hd.lattice_rpc_user_seed,
    jwt: hd.lattice_rpc_user_jwt,
    persistent: true,
    name: `weft-provider-${id}`,
  });
  const log = stderrLog(id);
  const secrets = new ProcessLinkSecrets(hd);
  const initial = hd.link_definitions.flatMap((l) => {
    try {
      return [secrets.take(l)];
    } catch (err) {
      log.warn({ source_id: l.source_id, target: l.target, err: (err as Error).message }, 'link secrets do not open');
      return [];
    }
  });
  await provider.init(processContext(hd, nc, log, secrets, initial));
  const links = new ProviderLinks(provider, id);
  for (const l of initial) await links.put(l);
  const calls = serveCalls(nc, hd, provider, links);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all(control.map((s) => s.drain().catch(() => undefined)));
      await calls.drain(2000); // calls received are answered: when the host died, their callers are elsewhere
      await provider.shutdown();
      await nc.drain().catch(() => undefined);
      process.exit(0);
    })());
  const control = serveProviderControl(nc, hd, {
    health: async () => (await provider.health?.()) ?? { healthy: true },
    shutdown: stop,
    linkPut: (l) => links.put(secrets.take(l)),
    // the id subject's copy of a link without secrets: its own host sent it on the xkey subject too
    linkPutCopy: (l) => (links.holds(withoutSealed(l)) ? Promise.resolve(false) : links.put(secrets.take(l))),
    linkDel: (l) => (secrets.delete(l), links.delete(l)),
  });
  await nc.flush();
  // set before the ready report: the host may answer it and die (stdin closes) before the report's await returns
  const quit = (): void => void stop().catch(() => process.exit(1));
  process.once('SIGTERM', quit);
  process.once('SIGINT', quit);
  hostGone = () => {
    log.warn({}, 'the host that started this provider is gone (stdin closed): shutting down');
    quit();
  };
  const heard = await announceReady(nc, { lattice, provider_id: id, instance_id: hd.instance_id, host_id: hd.host_id });
  if (heard) log.info({ instance_id: hd.instance_id }, 'provider ready');
  else log.warn({ instance_id: hd.instance_id }, 'provider serves, but no host answered its ready report');
}
