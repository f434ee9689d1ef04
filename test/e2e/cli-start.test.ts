/**
 * The `weft` bin loads only what a command needs: the host, the runtime (jco), the providers (ioredis), metrics
 * (prom-client), logging (pino), tracing and the browser never load for `--version`, `--help` or the client
 * commands. Every module a run loads is recorded by a module hook preloaded into the child.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../host/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, latticeFor, startTestHost } from '../helpers/index.ts';

const BIN = fileURLToPath(new URL('../../host/cli/bin.js', import.meta.url));
/** Writes the URL of every module the process loads (ESM and CommonJS) to fd 3, one a line. */
const HOOK = `data:text/javascript,${encodeURIComponent(
  "import{registerHooks}from'node:module';import{writeSync}from'node:fs';registerHooks({load(u,c,n){try{writeSync(3,u+'\\n')}catch{}return n(u,c)}})",
)}`;
/** Modules of the host and its heavy dependencies: none may load outside `weft up` (and `build`, `dev`, `ui`). */
const HEAVY =
  /@bytecodealliance\/(jco|preview2-shim)|componentize|ioredis|prom-client|playwright|\/pino|@opentelemetry|\/host\/(host|host-options)\.ts|\/host\/(runtime|workloads|admin|ctl|links|controller)\/|\/capabilities\/|\/host\/cli\/(start-host|ui\/)/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  loaded: string[];
}

function weft(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const got = { stdout: '', stderr: '', fd3: '' };
    child.stdout?.on('data', (d: Buffer) => (got.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (got.stderr += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (got.fd3 += d.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout: got.stdout, stderr: got.stderr, loaded: got.fd3.split('\n').filter(Boolean) }),
    );
  });
}

let ns: RunningNatsServer;
let host: Host;
let lattice: string;
let env: Record<string, string>;
beforeAll(async () => {
  ns = await NatsServer.start();
  lattice = latticeFor('cli start');
  host = await startTestHost(ns.url, { lattice });
  env = { WEFT_HOME: await mkdtemp(join(tmpdir(), 'weft-start-')), WEFT_NATS_URL: ns.url, WEFT_LATTICE: lattice };
});
afterAll(async () => {
  await host?.stop();
  await ns?.stop();
  if (env) await rm(env['WEFT_HOME'] as string, { recursive: true, force: true });
});

describe('cli start', () => {
  it('--version and --help load commander and the CLI, not the NATS client nor the host', async () => {
    for (const args of [['--version'], ['--help'], ['up', '--help'], ['get', 'hosts', '--help']]) {
      const r = await weft(args, env);
      expect(r.code, r.stderr).toBe(0);
      expect(
        r.loaded.some((u) => u.includes('/host/cli/')),
        'the hook sees the CLI load',
      ).toBe(true);
      expect(
        r.loaded.filter((u) => HEAVY.test(u) || u.includes('@nats-io/')),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('get hosts, config, link and call run against a lattice without loading the host or its dependencies', async () => {
    const hosts = await weft(['get', 'hosts', '-o', 'json'], env);
    expect(hosts.code, hosts.stderr).toBe(0);
    expect((JSON.parse(hosts.stdout) as { hosts: { id: string }[] }).hosts.map((h) => h.id)).toEqual([host.id]);
    expect(
      hosts.loaded.some((u) => u.includes('@nats-io/transport-node')),
      'it connected through nats.js',
    ).toBe(true);
    expect(hosts.loaded.filter((u) => HEAVY.test(u))).toEqual([]);
    // and only its own command file: the others register only for help and completion
    expect(
      hosts.loaded
        .filter((u) => u.includes('/host/cli/commands/'))
        .map((u) => u.replace(/.*\/commands\//, ''))
        .sort(),
    ).toEqual(['events.ts', 'get.ts', 'link.ts']);

    const runs = [
      ['config', 'put', 'start-cfg', 'a=1'],
      ['config', 'get', 'start-cfg'],
      ['get', 'links'],
      ['link', 'del', 'nobody', 'wasi', 'keyvalue'],
      ['call', 'nobody', 'docs:adder/add.add', '1', '2', '--call-timeout-ms', '500'],
    ];
    for (const args of runs) {
      const r = await weft(args, env);
      expect(r.stderr, args.join(' ')).not.toMatch(/ERR_MODULE_NOT_FOUND|SyntaxError|TypeError/);
      expect(
        r.loaded.filter((u) => HEAVY.test(u)),
        args.join(' '),
      ).toEqual([]);
    }
  });
});
