/**
 * Registry credentials of the CLI: `weft reg login` stores them in `{weft home}/registries.json` (0600, never
 * printed), and Docker's `~/.docker/config.json` `auths` (`$DOCKER_CONFIG`) are read as a fallback, so a registry
 * already logged in with `docker login` needs nothing more. Plain-text credential helpers are not run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, CliErrorCode } from './errors.ts';
import { weftHome } from './home.ts';

/** Credentials for one registry: a user and password, or a token sent as Bearer. */
export interface StoredCredential {
  username?: string;
  password?: string;
  token?: string;
}

interface CredentialsFile {
  auths: Record<string, StoredCredential>;
}

export const registriesFile = (): string => join(weftHome(), 'registries.json');

/** `https://index.docker.io/v1/`, `docker.io`, `ghcr.io/` → the registry host as references write it. */
export function registryKey(s: string): string {
  const host = s.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new CliError(
      CliErrorCode.Failed,
      `${file} is not valid JSON`,
      `fix or delete it (then \`weft reg login\` again)`,
    );
  }
}

function stored(): CredentialsFile {
  const v = readJson(registriesFile()) as Partial<CredentialsFile> | undefined;
  return { auths: v?.auths && typeof v.auths === 'object' ? v.auths : {} };
}

/** Credentials from Docker's config.json `auths` (`auth` = base64 `user:password`, or `username`/`password`). */
function dockerAuths(): Record<string, StoredCredential> {
  const dir = process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker');
  let v: unknown;
  try {
    v = readJson(join(dir, 'config.json'));
  } catch {
    return {};
  }
  const auths = (v as { auths?: Record<string, Record<string, unknown>> } | undefined)?.auths ?? {};
  const out: Record<string, StoredCredential> = {};
  for (const [k, a] of Object.entries(auths)) {
    if (!a || typeof a !== 'object') continue;
    if (typeof a['auth'] === 'string' && a['auth']) {
      const [username, ...rest] = Buffer.from(a['auth'], 'base64').toString('utf8').split(':');
      if (username && rest.length) out[registryKey(k)] = { username, password: rest.join(':') };
    } else if (typeof a['username'] === 'string' && typeof a['password'] === 'string') {
      out[registryKey(k)] = { username: a['username'], password: a['password'] };
    } else if (typeof a['registrytoken'] === 'string') {
      out[registryKey(k)] = { token: a['registrytoken'] };
    }
  }
  return out;
}

/** The credentials to use for `registry`: `weft reg login`'s first, then Docker's. */
export function credentialsFor(registry: string): StoredCredential | undefined {
  const key = registryKey(registry);
  return stored().auths[key] ?? dockerAuths()[key];
}

/** Every stored credential by registry: `weft reg login`'s over Docker's (for `weft up`'s host). */
export function allCredentials(): Record<string, StoredCredential> {
  return { ...dockerAuths(), ...stored().auths };
}

/** Stores (or replaces) the credentials of `registry`, file mode 0600. */
export async function saveCredentials(registry: string, c: StoredCredential): Promise<string> {
  const f = stored();
  f.auths[registryKey(registry)] = c;
  const file = registriesFile();
  await writeFile(file, `${JSON.stringify(f, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** Removes the stored credentials of `registry`; false when there were none. */
export async function removeCredentials(registry: string): Promise<boolean> {
  const f = stored();
  const key = registryKey(registry);
  if (!(key in f.auths)) return false;
  delete f.auths[key];
  await writeFile(registriesFile(), `${JSON.stringify(f, null, 2)}\n`, { mode: 0o600 });
  return true;
}

/** Registries stored with `weft reg login` (names only). */
export function storedRegistries(): string[] {
  return Object.keys(stored().auths).sort();
}
