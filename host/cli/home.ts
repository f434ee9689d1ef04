import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createUser } from '@nats-io/nkeys';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** weft's state folder: `WEFT_HOME` or `~/.weft`. */
export function weftHome(): string {
  const dir = process.env['WEFT_HOME'] ?? join(homedir(), '.weft');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** What `weft up` records so that `weft down` can stop it. Holds no secrets. */
export interface UpState {
  pid: number;
  lattice: string;
  nats_url: string;
  nats_pid?: number;
  host_id?: string;
  friendly_name?: string;
  log_file?: string;
}

const stateFile = (): string => join(weftHome(), 'up.json');

export async function writeUpState(s: UpState): Promise<void> {
  await writeFile(stateFile(), JSON.stringify(s, null, 2), { mode: 0o600 });
}

export async function readUpState(): Promise<UpState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(), 'utf8')) as UpState;
  } catch {
    return undefined;
  }
}

export async function clearUpState(pid: number): Promise<void> {
  const s = await readUpState();
  if (s?.pid === pid) await rm(stateFile(), { force: true });
}

/** True when a process with that pid is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const userSeedFile = (): string => join(weftHome(), 'nats', 'user.seed');

/**
 * The nkey user of the nats-server that `weft up` starts: created once (file mode 0600), so the local lattice is
 * not open to every local process. Returns the seed and public key.
 */
export async function localNatsUser(): Promise<{ seed: string; publicKey: string }> {
  const file = userSeedFile();
  if (!existsSync(file)) {
    mkdirSync(join(weftHome(), 'nats'), { recursive: true, mode: 0o700 });
    const kp = createUser();
    await writeFile(file, new TextDecoder().decode(kp.getSeed()) + '\n', { mode: 0o600 });
  }
  const seed = (await readFile(file, 'utf8')).trim();
  const { fromSeed } = await import('@nats-io/nkeys');
  return { seed, publicKey: fromSeed(new TextEncoder().encode(seed)).getPublicKey() };
}

/** The local lattice's user seed, when `weft up` created one (used by client commands given no credentials). */
export function localNatsSeed(): string | undefined {
  const file = userSeedFile();
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
