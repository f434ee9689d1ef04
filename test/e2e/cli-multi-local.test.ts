/**
 * `weft up --multi-local`: more hosts on one machine join the same lattice, each with its own state file;
 * `weft down` names the one it stops, or `--all`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, check, latticeFor, runCli } from '../helpers/index.ts';

interface UpReply {
  pid: number;
  host_id: string;
  friendly_name: string;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let ns: RunningNatsServer;
let home: string;
const started: number[] = [];
beforeAll(async () => {
  ns = await NatsServer.start();
  home = await mkdtemp(join(tmpdir(), 'weft-multi-'));
});
afterAll(async () => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL'); // only if a test failed half-way
  await ns?.stop();
  await rm(home, { recursive: true, force: true });
});

describe('cli multi-local', () => {
  it('weft up --multi-local - two hosts on one machine in one lattice; weft down names one, --all stops every one', async () => {
    const lattice = latticeFor('multi local');
    const env = { WEFT_HOME: home, WEFT_NATS_URL: ns.url, WEFT_LATTICE: lattice };
    const up = async (...flags: string[]): Promise<UpReply> => {
      const r = await runCli(['up', '-d', '-o', 'json', ...flags], env, 60_000);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout) as UpReply;
      started.push(s.pid);
      return s;
    };
    const hostIds = async (): Promise<string[]> => {
      const r = await runCli(['get', 'hosts', '-o', 'json'], env);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { hosts: { id: string }[] }).hosts.map((h) => h.id).sort();
    };

    const first = await up();
    // a second plain `weft up` is refused, and the refusal says how to run one more
    const refused = await runCli(['up', '-d'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/CLI_ALREADY_RUNNING/);
    expect(refused.stderr).toMatch(/--multi-local/);

    const second = await up('--multi-local');
    const third = await up('--multi-local');
    expect(new Set([first.pid, second.pid, third.pid]).size).toBe(3);
    expect((await readdir(home)).filter((f) => /^up(-\d+)?\.json$/.test(f)).sort()).toEqual(
      ['up.json', `up-${second.pid}.json`, `up-${third.pid}.json`].sort(),
    );
    await check(async () => (await hostIds()).length === 3);
    expect(await hostIds()).toEqual([first.host_id, second.host_id, third.host_id].sort());

    // one host by name: only it stops, and the reply says which
    const one = await runCli(['down', second.friendly_name, '-o', 'json'], env);
    expect(one.code, one.stderr).toBe(0);
    expect((JSON.parse(one.stdout) as { stopped: UpReply[] }).stopped.map((s) => s.host_id)).toEqual([second.host_id]);
    expect(alive(second.pid)).toBe(false);
    expect(existsSync(join(home, `up-${second.pid}.json`))).toBe(false);
    await check(async () => (await hostIds()).length === 2);

    const all = await runCli(['down', '--all', '-o', 'json'], env);
    expect(all.code, all.stderr).toBe(0);
    const stopped = (JSON.parse(all.stdout) as { stopped: UpReply[] }).stopped.map((s) => s.host_id);
    expect(stopped).toEqual([third.host_id, first.host_id]); // --multi-local ones first
    for (const s of [first, third]) expect(alive(s.pid)).toBe(false);
    expect((await readdir(home)).filter((f) => /^up(-\d+)?\.json$/.test(f))).toEqual([]);
    await check(async () => (await hostIds()).length === 0);

    const none = await runCli(['down'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/CLI_NOT_RUNNING/);
  });
});
