/**
 * The leak test: a real `weft up` (debug logs, --http-admin metrics, its built-in secrets backend) and the CLI. A
 * planted secret is stored with `weft secrets put` (stdin), referenced with `weft secrets ref`, read by a signed
 * component through `wasmcloud:secrets`; then every output channel of the run is grepped for the value: the host's
 * stdout/stderr at debug level, every lattice event, `weft get inventory|links|claims`, `config get`,
 * `secrets list` (text and -o json), the error of a denied start, /metrics, and the raw KV bucket. Only the guest's
 * own answer (`weft call`) holds it. A provider's own secret (`weft start provider … --config SECRET_…`, HostData
 * `secrets`) goes through the same channels: a start it allows, and one it refuses.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { generateKey, signComponent } from '../../lattice/wascap/index.ts';
import { secretsProbeComponent } from '../fixtures/wat/build-secrets-probe.ts';
import { CLI_MAIN, EventRecorder, NatsServer, latticeFor, runCli, spawnCli, waitForOutput } from '../helpers/index.ts';
import type { CliResult } from '../helpers/index.ts';

const PLANTED = 'zq-PLANTED-secret-4d1e9b';
const lattice = latticeFor('clisecrets');
let ns: RunningNatsServer;
let home: string;
let dir: string;
let admin: string;
let up: ReturnType<typeof spawnCli>;
let upOut = '';
let rec: EventRecorder;
let nc: Awaited<ReturnType<typeof connectNats>>;
const outputs: string[] = [];

const cli = async (...args: string[]): Promise<CliResult> => {
  const r = await runCli([...args, '--nats-url', ns.url, '--lattice', lattice], { WEFT_HOME: home }, 60_000);
  outputs.push(`$ weft ${args.slice(0, 2).join(' ')}\n${r.stdout}\n${r.stderr}`); // what it printed, not its argv
  return r;
};

/** `weft secrets put` with the value on stdin. */
function putFromStdin(name: string, value: string, ...args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [CLI_MAIN, 'secrets', 'put', name, ...args, '--nats-url', ns.url], {
    env: { ...process.env, NO_COLOR: '1', WEFT_HOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(value);
  return new Promise((r) => child.once('exit', (code) => (outputs.push(out), r(code))));
}

beforeAll(async () => {
  ns = await NatsServer.start();
  home = await mkdtemp(join(tmpdir(), 'weft-secrets-home-'));
  dir = await mkdtemp(join(tmpdir(), 'weft-secrets-e2e-'));
  nc = await connectNats({ url: ns.url });
  rec = await EventRecorder.start(nc, lattice);
  admin = `127.0.0.1:${await freePort()}`;
  up = spawnCli(
    [
      'up',
      '--nats-url',
      ns.url,
      '--lattice',
      lattice,
      '--log-level',
      'debug',
      '--allow-file-load',
      '--http-admin',
      admin,
      '-o',
      'json',
    ],
    { WEFT_HOME: home, WEFT_LOG_FORMAT: 'json' },
  );
  up.stdout?.on('data', (d: Buffer) => (upOut += d.toString()));
  up.stderr?.on('data', (d: Buffer) => (upOut += d.toString()));
  await waitForOutput(up, (o) => o.includes('"host_id"'), 60_000);
  const issuer = generateKey('account');
  for (const id of ['reader', 'intruder']) {
    const signed = signComponent(await secretsProbeComponent(), {
      issuer,
      subject: generateKey('component'),
      name: id,
      caps: ['wasmcloud:secrets'],
    });
    await writeFile(join(dir, `${id}.wasm`), signed.bytes);
  }
}, 120_000);

afterAll(async () => {
  rec?.stop();
  await nc?.close();
  if (up && up.exitCode === null) {
    const exited = new Promise((r) => up.once('exit', r));
    up.kill('SIGTERM');
    await exited;
  }
  await ns?.stop();
});

describe('weft secrets end to end', () => {
  it('puts from stdin (never argv), references, delivers to the component, and leaks nowhere', async () => {
    const argv = await cli('secrets', 'put', 'db-pass', PLANTED, '--allow', 'component:reader');
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/never taken from the command line/);
    expect(await putFromStdin('db-pass', PLANTED, '--allow', 'component:reader')).toBe(0);
    expect((await cli('secrets', 'ref', 'db', '--key', 'db-pass')).code).toBe(0);

    const started = await cli(
      'start',
      'component',
      `file://${join(dir, 'reader.wasm')}`,
      'reader',
      '--config',
      'SECRET_db',
    );
    expect(started.code, started.stderr).toBe(0);
    const call = await runCli(['call', 'reader', 'read', '"db"', '--nats-url', ns.url, '--lattice', lattice], {
      WEFT_HOME: home,
    });
    expect(call.stdout).toContain(`str:${PLANTED}`); // the guest's own answer: the one place the value may appear

    const denied = await cli(
      'start',
      'component',
      `file://${join(dir, 'intruder.wasm')}`,
      'intruder',
      '--config',
      'SECRET_db',
    );
    expect(denied.code).not.toBe(0);
    expect(denied.stdout + denied.stderr).toContain('SECRET_DENIED');

    expect(await putFromStdin('prov-pass', PLANTED, '--allow', 'provider:hc')).toBe(0);
    expect((await cli('secrets', 'ref', 'prov', '--key', 'prov-pass')).code).toBe(0);
    const provider = await cli('start', 'provider', 'weft+builtin://http-client', 'hc', '--config', 'SECRET_prov');
    expect(provider.code, provider.stderr).toBe(0);
    const refused = await cli('start', 'provider', 'weft+builtin://http-client', 'hc2', '--config', 'SECRET_prov');
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('SECRET_DENIED');

    for (const args of [
      ['get', 'inventory', '-o', 'json'],
      ['get', 'inventory'],
      ['get', 'links', '-o', 'json'],
      ['get', 'claims', '-o', 'json'],
      ['config', 'get', 'SECRET_db', '-o', 'json'],
      ['config', 'get', 'SECRET_db'],
      ['config', 'get', 'SECRET_prov', '-o', 'json'],
      ['secrets', 'list', '-o', 'json'],
      ['secrets', 'list'],
    ])
      expect((await cli(...args)).code).toBe(0);
    const list = await cli('secrets', 'list', '-o', 'json');
    expect(JSON.parse(list.stdout)).toMatchObject([
      { name: 'db-pass', versions: [{ version: '1' }], allow: ['component:reader'] },
      { name: 'prov-pass', versions: [{ version: '1' }], allow: ['provider:hc'] },
    ]);
    const metrics = await (await fetch(`http://${admin}/metrics`)).text();
    const kv = await new Kvm(jetstream(nc)).open('weft_secrets_weft');
    const raw = Buffer.from((await kv.get('db-pass'))!.value).toString('latin1');

    const channels: Record<string, string> = {
      'weft up stdout/stderr (debug)': upOut,
      events: JSON.stringify(rec.events),
      'CLI outputs': outputs.join('\n'),
      metrics,
      'KV bucket (raw)': raw,
    };
    expect(upOut).toContain('secret request denied'); // the backend logged the denial (who asked) ...
    for (const [name, text] of Object.entries(channels)) expect(text.includes(PLANTED), name).toBe(false); // ... never the value
    expect(rec.events.length).toBeGreaterThan(3);
  }, 180_000);
});
