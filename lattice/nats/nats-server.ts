import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { authorizationBlock } from './nats-users.ts';
import type { NkeyUser } from './nats-users.ts';

/** Options for launching a local `nats-server` (modelled on nats.js `nst` launcher). */
export interface NatsServerOptions {
  /** Client port; -1 picks a free one. @default -1 */
  port?: number;
  /** Host to listen on. @default '127.0.0.1' */
  host?: string;
  /** JetStream store dir; a temp dir (removed on stop) when not given. */
  storeDir?: string;
  /** Server name (must be unique in a cluster). */
  serverName?: string;
  /** Cluster membership: this node's route port and the routes to its peers. */
  cluster?: { name: string; port: number; routes: string[] };
  /** Leaf node remote URL (join a remote lattice as a leaf). */
  leafRemoteUrl?: string;
  /** JetStream domain (needed on leaf nodes so KV is shared). */
  jsDomain?: string;
  /** Require nkey authentication: only these user public keys (U…) may connect. */
  authorizedNkeys?: string[];
  /** More nkey users, each with its own permissions (see `nats-users.ts`); with `authorizedNkeys`, nkey auth. */
  nkeyUsers?: NkeyUser[];
  /** Extra raw config text appended to the generated config (e.g. an authorization block). */
  extraConfig?: string;
  /** Path of the binary; else `NATS_SERVER_BIN`, PATH, `/usr/sbin`. */
  bin?: string;
  /** Log file; server output is discarded when not given. */
  logFile?: string;
  /** Detach from the parent process (for `weft up -d`). @default false */
  detached?: boolean;
}

/** A running nats-server. */
export interface RunningNatsServer {
  url: string;
  port: number;
  pid: number;
  storeDir: string;
  configFile: string;
  process: ChildProcess;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Finds the nats-server binary on `NATS_SERVER_BIN`, PATH or `/usr/sbin`.
 * @throws {LatticeError} LAT_NATS_SERVER when there is none, with the install command as hint.
 */
export function findNatsServerBin(explicit?: string): string {
  const candidates = [explicit, process.env['NATS_SERVER_BIN']]
    .concat((process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, 'nats-server')))
    .concat(['/usr/sbin/nats-server', '/usr/local/bin/nats-server']);
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new LatticeError(LatticeErrorCode.NatsServer, 'nats-server binary not found', {
    hint: 'install it with `sudo apt-get install -y nats-server`, or set NATS_SERVER_BIN to its path',
  });
}

/** Returns a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function buildConfig(o: NatsServerOptions, storeDir: string, portsDir: string): string {
  const lines = [
    `host: "${o.host ?? '127.0.0.1'}"`,
    `port: ${o.port ?? -1}`,
    `ports_file_dir: "${portsDir}"`,
    `max_payload: 1048576`,
    o.serverName ? `server_name: "${o.serverName}"` : '',
    `jetstream {`,
    `  store_dir: "${storeDir}"`,
    o.jsDomain ? `  domain: "${o.jsDomain}"` : '',
    `}`,
  ];
  if (o.cluster) {
    lines.push(
      `cluster {`,
      `  name: "${o.cluster.name}"`,
      `  listen: "127.0.0.1:${o.cluster.port}"`,
      `  routes: [${o.cluster.routes.map((r) => `"${r}"`).join(', ')}]`,
      `}`,
    );
  }
  const users = [...(o.authorizedNkeys ?? []).map((nkey) => ({ nkey })), ...(o.nkeyUsers ?? [])];
  if (users.length) lines.push(authorizationBlock(users));
  if (o.leafRemoteUrl) lines.push(`leafnodes { remotes: [ { url: "${o.leafRemoteUrl}" } ] }`);
  if (o.extraConfig) lines.push(o.extraConfig);
  return lines.filter((l) => l !== '').join('\n') + '\n';
}

async function waitForPortsFile(dir: string, child: ChildProcess, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new LatticeError(LatticeErrorCode.NatsServer, `nats-server exited early with code ${child.exitCode}`, {
        hint: 'check that the port is free and the config is valid',
      });
    }
    const files = await readdir(dir).catch(() => [] as string[]);
    const f = files.find((n) => n.endsWith('.ports'));
    if (f) {
      const txt = await readFile(join(dir, f), 'utf8').catch(() => '');
      const m = /nats:\/\/[^"]*:(\d+)/.exec(txt);
      if (m?.[1]) return Number(m[1]);
    }
    await sleep(20);
  }
  throw new LatticeError(LatticeErrorCode.Timeout, 'nats-server did not start in time');
}

async function waitForTcp(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const okay = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (okay) return;
    if (Date.now() > deadline) throw new LatticeError(LatticeErrorCode.Timeout, `nats-server not accepting on ${port}`);
    await sleep(20);
  }
}

/**
 * Starts a real nats-server with JetStream; resolves once it accepts connections.
 * @throws {LatticeError} LAT_NATS_SERVER when the binary is missing or the server exits early.
 */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<RunningNatsServer> {
  const bin = findNatsServerBin(opts.bin);
  const workDir = await mkdtemp(join(tmpdir(), 'weft-nats-'));
  const ownStore = opts.storeDir === undefined;
  const storeDir = opts.storeDir ?? join(workDir, 'js');
  const configFile = join(workDir, 'nats.conf');
  await writeFile(configFile, buildConfig(opts, storeDir, workDir));
  const { openSync } = await import('node:fs');
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child = spawn(bin, ['-c', configFile], { stdio: ['ignore', out, out], detached: opts.detached ?? false });
  child.once('error', () => undefined);
  let port: number;
  try {
    port = await waitForPortsFile(workDir, child, 10_000);
    await waitForTcp(port, 5_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  if (opts.detached) child.unref();
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // a timer left running after the exit kept the caller's process alive 3 s longer (`weft up` on Ctrl+C)
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(force);
    }
    await rm(workDir, { recursive: true, force: true });
    if (ownStore) await rm(storeDir, { recursive: true, force: true });
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    storeDir,
    configFile,
    process: child,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
