import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeComponent } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  NatsServer,
  check,
  latticeFor,
  runCli,
  spawnCli,
  startTestHost,
  testCtl,
  waitForOutput,
  rawNatsOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

const get = async (nc: Parameters<typeof invokeComponent>[0], lattice: string, id: string): Promise<string> => {
  const r = (await invokeComponent(nc, lattice, id, 'wasi:http/incoming-handler.handle', [
    { method: 'GET', url: 'http://dev/', headers: [] },
  ])) as { status: number; body: Uint8Array };
  return `${r.status} ${new TextDecoder().decode(r.body).trim()}`;
};

describe('weft dev', () => {
  it('weft dev - builds and starts a scaffolded actor, then rebuilds and live-updates it when its source changes', async () => {
    const work = await mkdtemp(join(tmpdir(), 'weft-dev-'));
    const env = { WEFT_HOME: join(work, 'home'), WEFT_KEYS_DIR: join(work, 'keys') };
    const lattice = latticeFor('dev');
    const c = ['--nats-url', ns.url, '--lattice', lattice];
    expect((await runCli(['new', 'actor', 'hi', '--template', 'http', '--lang', 'js'], env, 60_000, work)).code).toBe(
      0,
    );
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const dev = spawnCli(['dev', join(work, 'hi'), ...c], env);
    try {
      await waitForOutput(dev, (o) => /started hi/.test(o), 120_000);
      expect(await get(rawNatsOf(ctl), lattice, 'hi')).toBe('200 hello from hi');
      // a save: the actor is rebuilt and updated in place (revision 1), and answers with the new text
      const src = join(work, 'hi', 'src', 'index.js');
      await writeFile(src, (await readFile(src, 'utf8')).replace('hello from hi', 'hello again from hi'));
      await waitForOutput(dev, (o) => /updated hi/.test(o), 120_000);
      expect(
        await check(
          async () => ((await get(rawNatsOf(ctl), lattice, 'hi')) === '200 hello again from hi' ? true : undefined),
          10_000,
        ),
      ).toBe(true);
      expect((await ctl.getHostInventory(host.id)).components.find((x) => x.id === 'hi')).toMatchObject({
        revision: 1,
      });
    } finally {
      dev.kill('SIGINT');
      if (dev.exitCode === null && dev.signalCode === null) await new Promise((r) => dev.once('exit', r));
      await host.stop();
    }
  }, 240_000);
});
