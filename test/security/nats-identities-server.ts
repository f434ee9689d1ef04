/** The nats-server of the NATS-identity tests (not a test file): three nkey users, the monitoring endpoint on. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { freePort, messagingPermissions, nkeyUserFile, providerPermissions } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer } from '../helpers/index.ts';

/** An nkey user: its seed (written to `{dir}/{name}.seed`) and public key. */
export type User = { seed: string; publicKey: string };

/**
 * A nats-server whose users are `host` (unrestricted), `provider` (`providerPermissions(lattice)`) and `messaging`
 * (`messagingPermissions()`), each seed in a file of a fresh temp dir, and the monitoring endpoint on `monitor`.
 * `stop(open)` closes the connections a test opened, the server and the dir.
 */
export async function startIdentitiesServer(lattice: string, tmpPrefix: string) {
  const dir = await mkdtemp(join(tmpdir(), tmpPrefix));
  const host: User = await nkeyUserFile(join(dir, 'user.seed'));
  const provider: User = await nkeyUserFile(join(dir, 'provider.seed'));
  const messaging: User = await nkeyUserFile(join(dir, 'messaging.seed'));
  const monitor = await freePort();
  const ns: RunningNatsServer = await NatsServer.start({
    authorizedNkeys: [host.publicKey],
    nkeyUsers: [
      { nkey: provider.publicKey, permissions: providerPermissions(lattice) },
      { nkey: messaging.publicKey, permissions: messagingPermissions() },
    ],
    extraConfig: `http: "127.0.0.1:${monitor}"`,
  });
  const stop = async (open: NatsConnection[]): Promise<void> => {
    await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
    await ns.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, ns, monitor, host, provider, messaging, stop };
}
