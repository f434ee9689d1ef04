import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  createAccount,
  createCluster,
  createCurve,
  createOperator,
  createServer,
  createUser,
  fromCurveSeed,
  fromSeed,
} from '@nats-io/nkeys';
import type { KeyPair } from '@nats-io/nkeys';
import { ClaimsError, ClaimsErrorCode } from './errors.ts';
import { createRoleKey, PREFIX_MODULE, PREFIX_SERVICE, roleKeyFromSeed } from './nkey-codec.ts';

/** Key types of `weft keys gen` (wash's names, with aliases) → nkey constructor. */
const KEY_TYPES: Record<string, () => KeyPair> = {
  account: createAccount,
  component: () => createRoleKey(PREFIX_MODULE),
  module: () => createRoleKey(PREFIX_MODULE),
  provider: () => createRoleKey(PREFIX_SERVICE),
  service: () => createRoleKey(PREFIX_SERVICE),
  host: createServer,
  server: createServer,
  operator: createOperator,
  cluster: createCluster,
  user: createUser,
  curve: createCurve,
};
export const KEY_TYPE_NAMES = Object.keys(KEY_TYPES);

/** Generates a key of a type name. @throws {ClaimsError} CLAIMS_BAD_KEY for an unknown type. */
export function generateKey(type: string): KeyPair {
  const make = KEY_TYPES[type];
  if (!make)
    throw new ClaimsError(
      ClaimsErrorCode.BadKey,
      `unknown key type "${type}": use one of ${KEY_TYPE_NAMES.join(', ')}`,
    );
  return make();
}

const dec = new TextDecoder();
export const seedOf = (kp: KeyPair): string => dec.decode(kp.getSeed());

/** Parses a seed (`S…`). @throws {ClaimsError} CLAIMS_BAD_KEY. */
export function keyFromSeed(seed: string): KeyPair {
  try {
    const s = new TextEncoder().encode(seed.trim());
    if (seed.trim().startsWith('SX')) return fromCurveSeed(s);
    return roleKeyFromSeed(seed) ?? fromSeed(s);
  } catch (err) {
    throw new ClaimsError(ClaimsErrorCode.BadKey, `not a valid nkey seed: ${(err as Error).message}`, { cause: err });
  }
}

/** The keys folder: `WEFT_KEYS_DIR` or `~/.weft/keys`. */
export function keysDir(): string {
  return process.env['WEFT_KEYS_DIR'] ?? join(homedir(), '.weft', 'keys');
}

/** Saves a key as `{dir}/{name}.nk` (mode 0600) and returns the path. */
export async function saveKey(name: string, kp: KeyPair, dir = keysDir()): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${name}.nk`);
  await writeFile(path, seedOf(kp) + '\n', { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

/** Loads a key by name from the keys folder, or undefined. */
export async function loadKey(name: string, dir = keysDir()): Promise<KeyPair | undefined> {
  try {
    return keyFromSeed(await readFile(join(dir, `${name}.nk`), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Names of the saved keys. */
export async function listKeys(dir = keysDir()): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.nk'))
      .map((f) => f.slice(0, -3))
      .sort();
  } catch {
    return [];
  }
}

/** A key given as a seed (`S…`) or the name of a saved key. */
export async function resolveKey(seedOrName: string, dir = keysDir()): Promise<KeyPair | undefined> {
  if (/^S[A-Z]/.test(seedOrName)) return keyFromSeed(seedOrName);
  return loadKey(seedOrName, dir);
}
