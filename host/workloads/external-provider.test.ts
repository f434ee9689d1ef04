import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, invokeComponent } from '../../lattice/index.ts';
import type { ProviderContext, ResolvedLink, RunningNatsServer } from '../../lattice/index.ts';
import { captureLogger, check, NatsServer, resolvedLinkOf } from '../../test/helpers/unit.ts';
import { ExternalProviderProcess } from './external-provider.ts';

// an SDK provider run as a process (referenced by path: host/ does not import capabilities/)
const MEMKV = fileURLToPath(new URL('../../capabilities/keyvalue-memory/main.ts', import.meta.url));
let ns: RunningNatsServer;
let nc: NatsConnection;
let dir: string;
beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  dir = await mkdtemp(join(tmpdir(), 'weft-extp-'));
});
afterAll(async () => {
  await nc?.close();
  await ns?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});
const ctx = (lattice: string, links: ResolvedLink[] = []): ProviderContext => ({
  providerId: 'memkv',
  hostId: 'HOSTU',
  lattice,
  nc,
  config: {},
  links,
  invoke: () => Promise.resolve(undefined),
  log: { info: () => undefined, warn: () => undefined, error: () => undefined },
});
const link: ResolvedLink = resolvedLinkOf('counter', 'memkv', 'wasi:keyvalue', ['store', 'atomics']);

describe('ExternalProviderProcess', () => {
  it('ready by the NATS handshake: serves calls with the links of its HostData and those put later, health, shutdown', async () => {
    const cap = captureLogger();
    const p = new ExternalProviderProcess(MEMKV, { url: ns.url }, cap.logger, () => undefined);
    await p.init(ctx('extu1', [link]));
    expect(p.pid).toBeGreaterThan(0);
    const call = (source: string, func: string, args: unknown[]) =>
      invokeComponent(nc, 'extu1', 'memkv', `wasi:keyvalue/atomics@0.2.0-draft.${func}`, args, { sourceId: source });
    const bucket = await invokeComponent(nc, 'extu1', 'memkv', 'wasi:keyvalue/store@0.2.0-draft.open', ['b'], {
      sourceId: 'counter',
    });
    expect(bucket).toBeDefined();
    await expect(call('other', 'increment', [bucket, 'k', 1n])).rejects.toMatchObject({ code: 'HOST_LINK_NOT_FOUND' });
    await p.onLinkAsTarget({ ...link, source_id: 'other' });
    await expect(
      invokeComponent(nc, 'extu1', 'memkv', 'wasi:keyvalue/store@0.2.0-draft.open', ['b'], { sourceId: 'other' }),
    ).resolves.toBeDefined();
    expect(await p.health()).toMatchObject({ healthy: true });
    const pid = p.pid!;
    await p.shutdown();
    const gone = () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    };
    expect(await check(gone, 5000)).toBe(true);
    expect(cap.lines.some((l) => String(l['msg']).includes('provider ready'))).toBe(true);
    expect(await p.health()).toMatchObject({ healthy: false });
  });

  it('a process that exits before it reports ready fails the start at once, with its exit code', async () => {
    const script = join(dir, 'exits.mjs');
    await writeFile(script, 'process.exit(3);\n');
    const p = new ExternalProviderProcess(script, { url: ns.url }, captureLogger().logger, () => undefined);
    await expect(p.init(ctx('extu2'))).rejects.toThrow(/exited with code 3 before it was ready/);
    await p.shutdown();
  });
});
