/**
 * Progress of `weft push`/`weft pull` on a terminal: the CLI runs under `script` (a pseudo-terminal), so its stderr
 * is a TTY; a 2 MiB artifact shows `layer N/2.0 MiB (P%)`; `-o json` shows none. Real docker-registry.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_MAIN } from '../helpers/cli.ts';
import { startRegistry } from '../helpers/registry.ts';
import type { RunningRegistry } from '../helpers/registry.ts';

let reg: RunningRegistry;
let dir: string;
beforeAll(async () => {
  reg = await startRegistry();
  dir = await mkdtemp(join(tmpdir(), 'weft-oci-progress-'));
});
afterAll(async () => {
  await reg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A core module of about 2 MiB: the header and one custom section of padding. */
function bigModule(): Buffer {
  const name = Buffer.from('pad');
  const body = Buffer.concat([Buffer.from([name.length]), name, Buffer.alloc(2 * 1024 * 1024, 7)]);
  const leb: number[] = [];
  for (let n = body.length; ;) {
    const b = n & 0x7f;
    n >>>= 7;
    leb.push(n ? b | 0x80 : b);
    if (!n) break;
  }
  return Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0]), Buffer.from(leb), body]);
}

/** `weft ARGS` on a pseudo-terminal; everything it wrote (stdout and stderr) as the terminal saw it. */
async function onTerminal(args: string[]): Promise<string> {
  const cmd = [process.execPath, CLI_MAIN, ...args].map((a) => `'${a}'`).join(' ');
  const env = { ...process.env, NO_COLOR: '1', WEFT_HOME: join(dir, 'home'), DOCKER_CONFIG: join(dir, 'no-docker') };
  const { stdout } = await promisify(execFile)('script', ['-qec', cmd, '/dev/null'], { env, timeout: 60_000 });
  return stdout;
}

describe('weft push/pull progress', () => {
  it('shows bytes/total of the layer on a terminal, and nothing with -o json', async () => {
    const file = join(dir, 'big.wasm');
    await writeFile(file, bigModule());
    const ref = `${reg.host}/weft/big:1`;
    const push = await onTerminal(['push', file, ref]);
    expect(push).toMatch(/\r {2}layer 0\.\d\/2\.0 MiB \(\d+%\)/);
    expect(push).toContain('layer 2.0/2.0 MiB (100%)');
    const pull = await onTerminal(['pull', ref, join(dir, 'back.wasm')]);
    expect(pull).toContain('layer 2.0/2.0 MiB (100%)');
    const quiet = await onTerminal(['pull', ref, join(dir, 'back2.wasm'), '-o', 'json']);
    expect(quiet).not.toMatch(/MiB \(/);
    expect(quiet).toMatch(/"digest": "sha256:/);
  }, 120_000);
});
