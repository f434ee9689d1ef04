import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, CliErrorCode } from './errors.ts';

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
  /** Started with `--multi-local`: recorded in `up-{pid}.json` beside the first host's `up.json`. */
  multi_local?: boolean;
}

const PRIMARY = 'up.json';
const MULTI = /^up-(\d+)\.json$/;
const stateFile = (name: string): string => join(weftHome(), name);
const fileOf = (s: Pick<UpState, 'pid' | 'multi_local'>): string => (s.multi_local ? `up-${s.pid}.json` : PRIMARY);

export async function writeUpState(s: UpState): Promise<void> {
  await writeFile(stateFile(fileOf(s)), JSON.stringify(s, null, 2), { mode: 0o600 });
}

async function readState(name: string): Promise<UpState | undefined> {
  try {
    const s = JSON.parse(await readFile(stateFile(name), 'utf8')) as UpState;
    return Number.isSafeInteger(s?.pid) && s.pid > 0 ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The state of the first host (`up.json`), or with `pid` that of a `--multi-local` host. */
export async function readUpState(pid?: number): Promise<UpState | undefined> {
  return readState(pid === undefined ? PRIMARY : `up-${pid}.json`);
}

/** Every recorded host, running or not: the first one, then the `--multi-local` ones in start order (by pid). */
export async function readUpStates(): Promise<UpState[]> {
  const pids = readdirSync(weftHome())
    .map((f) => MULTI.exec(f)?.[1])
    .filter((p): p is string => p !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const all = await Promise.all([readUpState(), ...pids.map((p) => readUpState(p))]);
  return all.filter((s): s is UpState => s !== undefined);
}

/** Forgets the host with that pid (whichever file records it). */
export async function clearUpState(pid: number): Promise<void> {
  const s = await readUpState();
  if (s?.pid === pid) await rm(stateFile(PRIMARY), { force: true });
  await rm(stateFile(`up-${pid}.json`), { force: true });
}

/**
 * Refuses a second `weft up` on this machine (its state would replace the running one's) unless it is
 * `--multi-local`, which records its own state file.
 * @throws {CliError} CLI_ALREADY_RUNNING naming the running host, with the hint to stop it or add --multi-local.
 */
export async function refuseSecondUp(multiLocal: boolean | undefined, self = process.pid): Promise<void> {
  if (multiLocal) return;
  const prev = await readUpState();
  if (!prev || !isAlive(prev.pid) || prev.pid === self) return;
  const who = prev.friendly_name ? `host ${prev.friendly_name}, pid ${prev.pid}` : `pid ${prev.pid}`;
  throw new CliError(
    CliErrorCode.AlreadyRunning,
    `weft up is already running on this machine (${who})`,
    'stop it with `weft down`, or add --multi-local to run one more host beside it',
  );
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
  const { createUser, fromSeed } = await import('@nats-io/nkeys'); // not for the client commands, which only read the seed
  const file = userSeedFile();
  if (!existsSync(file)) {
    mkdirSync(join(weftHome(), 'nats'), { recursive: true, mode: 0o700 });
    const kp = createUser();
    await writeFile(file, new TextDecoder().decode(kp.getSeed()) + '\n', { mode: 0o600 });
  }
  const seed = (await readFile(file, 'utf8')).trim();
  return { seed, publicKey: fromSeed(new TextEncoder().encode(seed)).getPublicKey() };
}

/** The local lattice's user seed, when `weft up` created one (used by client commands given no credentials). */
export function localNatsSeed(): string | undefined {
  const file = userSeedFile();
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
