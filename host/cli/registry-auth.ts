/**
 * Registry credentials of the CLI: `weft reg login` stores them in `{weft home}/registries.json` (0600, never
 * printed), and Docker's `~/.docker/config.json` (`$DOCKER_CONFIG`) is the fallback, so a registry already logged in
 * with `docker login` needs nothing more: its credential helpers first (`credHelpers` per registry, then
 * `credsStore`, each run as `docker-credential-NAME get` with the server on stdin, as Docker does), then `auths`.
 */
import { execFileSync } from 'node:child_process';
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

interface DockerConfig {
  auths?: Record<string, Record<string, unknown>>;
  credsStore?: unknown;
  credHelpers?: Record<string, unknown>;
}

function dockerConfig(): DockerConfig {
  const dir = process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker');
  try {
    const v = readJson(join(dir, 'config.json'));
    return v && typeof v === 'object' ? (v as DockerConfig) : {};
  } catch {
    return {};
  }
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const helperCache = new Map<string, StoredCredential | undefined>();

/**
 * Asks `docker-credential-NAME get` (on PATH) for `registry`'s credentials: the server on stdin, `{Username, Secret}`
 * on stdout. `undefined` when the helper is missing, fails, takes over 10 s or answers nonsense; an identity token
 * (`Username: "<token>"`, an OAuth refresh token for the token server) is not supported and skipped.
 */
function fromHelper(name: unknown, registry: string): StoredCredential | undefined {
  if (typeof name !== 'string' || !HELPER_NAME.test(name)) return undefined;
  const key = `${name}\n${registry}`;
  if (helperCache.has(key)) return helperCache.get(key);
  let out: StoredCredential | undefined;
  try {
    const server = registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
    const stdout = execFileSync(`docker-credential-${name}`, ['get'], {
      input: server,
      timeout: 10_000,
      maxBuffer: 64 * 1024,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const v = JSON.parse(stdout.toString('utf8')) as { Username?: unknown; Secret?: unknown };
    if (typeof v.Username === 'string' && v.Username && v.Username !== '<token>' && typeof v.Secret === 'string')
      out = { username: v.Username, password: v.Secret };
  } catch {
    out = undefined; // not there, "credentials not found in native keychain", or not JSON
  }
  helperCache.set(key, out);
  return out;
}

/** What Docker's credential helpers give for `registry`: its `credHelpers` entry, else the `credsStore`. */
function dockerHelperCredentials(c: DockerConfig, registry: string): StoredCredential | undefined {
  const helpers = c.credHelpers && typeof c.credHelpers === 'object' ? c.credHelpers : {};
  const own = Object.entries(helpers).find(([k]) => registryKey(k) === registry)?.[1];
  if (own !== undefined) return fromHelper(own, registry);
  return c.credsStore !== undefined ? fromHelper(c.credsStore, registry) : undefined;
}

/** Credentials from Docker's config.json `auths` (`auth` = base64 `user:password`, or `username`/`password`). */
function dockerAuths(v: DockerConfig = dockerConfig()): Record<string, StoredCredential> {
  const auths = v.auths && typeof v.auths === 'object' ? v.auths : {};
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

/** The credentials to use for `registry`: `weft reg login`'s first, then Docker's helpers, then Docker's `auths`. */
export function credentialsFor(registry: string): StoredCredential | undefined {
  const key = registryKey(registry);
  const own = stored().auths[key];
  if (own) return own;
  const docker = dockerConfig();
  return dockerHelperCredentials(docker, key) ?? dockerAuths(docker)[key];
}

/**
 * Every stored credential by registry, for `weft up`'s host: `weft reg login`'s over Docker's. Of Docker's helpers
 * only the registries named in `credHelpers` or `auths` are asked (a `credsStore` is not listed).
 */
export function allCredentials(): Record<string, StoredCredential> {
  const docker = dockerConfig();
  const out = dockerAuths(docker);
  const named = new Set(
    [...Object.keys(docker.credHelpers ?? {}), ...Object.keys(docker.auths ?? {})].map(registryKey),
  );
  for (const r of named) {
    const c = dockerHelperCredentials(docker, r);
    if (c) out[r] = c;
  }
  return { ...out, ...stored().auths };
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
