/**
 * The OCI pull flags of `weft up` (and `--registry-mirror` of `weft pull`): registry mirrors, the pull policy and the
 * whole-pull timeout, and where the host's OCI cache lives (`{--cache-dir}/oci`, beside the transpile cache).
 */
import { join } from 'node:path';
import { Option } from 'commander';
import { parseRegistryMirrors } from '../../lattice/oci/index.ts';
import type { RegistryMirrors } from '../../lattice/oci/index.ts';
import { collect } from './options.ts';
import { CliError, CliErrorCode } from './errors.ts';
import { allCredentials, registryKey } from './registry-auth.ts';
import type { StoredCredential } from './registry-auth.ts';
import type { OciPullSettings, PullPolicy } from '../workloads/oci-pull.ts';

/** The parsed flags. */
export interface RegistryPullCliOptions {
  registryMirror: string[];
  ociPullPolicy: PullPolicy;
  ociPullTimeoutMs: number;
  cacheDir?: string;
}

/** `--registry-mirror REGISTRY=MIRROR` (repeatable; `WEFT_REGISTRY_MIRRORS`, comma-separated). */
export const registryMirrorOption = (): Option =>
  new Option(
    '--registry-mirror <registry=mirror>',
    'pull refs of REGISTRY from MIRROR instead, e.g. ghcr.io=localhost:5000; no fall-back to REGISTRY (repeatable)',
  )
    .env('WEFT_REGISTRY_MIRRORS')
    .default([])
    .argParser(collect);

/** `--oci-pull-policy always|if-not-present`. */
export const pullPolicyOption = (): Option =>
  new Option(
    '--oci-pull-policy <policy>',
    'always: resolve a tag at the registry on every scale (a cached digest is not downloaded again); if-not-present: a tag this host pulled before is not asked again (a scale annotation weft.dev/pull-policy overrides it)',
  )
    .env('WEFT_OCI_PULL_POLICY')
    .choices(['always', 'if-not-present'])
    .default('always');

/** `--oci-pull-timeout-ms MS`. */
export const pullTimeoutOption = (): Option =>
  new Option('--oci-pull-timeout-ms <ms>', 'a whole OCI pull (token, manifest, layer) must finish within this')
    .env('WEFT_OCI_PULL_TIMEOUT_MS')
    .default(120_000)
    .argParser(Number);

/**
 * Mirrors from `--registry-mirror` entries.
 * @throws {CliError} CLI_USAGE naming an entry that is not REGISTRY=MIRROR.
 */
export function mirrorsFrom(entries: readonly string[] = []): RegistryMirrors | undefined {
  if (!entries.length) return undefined;
  try {
    return parseRegistryMirrors(entries);
  } catch (err) {
    const e = err as Error & { hint?: string };
    throw new CliError(CliErrorCode.Usage, e.message.replace(/^\[[A-Z_]+\] /, ''), e.hint);
  }
}

/** The host's pull settings from `weft up`'s flags; `undefined` when none is given (the host's defaults). */
export function ociPullFrom(o: Partial<RegistryPullCliOptions>): OciPullSettings | undefined {
  const mirrors = mirrorsFrom(o.registryMirror);
  if (!mirrors && !o.ociPullPolicy && o.ociPullTimeoutMs === undefined && !o.cacheDir) return undefined;
  if (o.ociPullTimeoutMs !== undefined && !(o.ociPullTimeoutMs > 0))
    throw new CliError(CliErrorCode.Usage, `--oci-pull-timeout-ms must be a number of milliseconds > 0`);
  return {
    ...(mirrors ? { mirrors } : {}),
    ...(o.ociPullPolicy ? { pullPolicy: o.ociPullPolicy } : {}),
    ...(o.ociPullTimeoutMs !== undefined ? { pullTimeoutMs: o.ociPullTimeoutMs } : {}),
    ...(o.cacheDir ? { cacheDir: join(o.cacheDir, 'oci') } : {}),
  };
}

/**
 * The host's registry options: `--allow-insecure-registries`, and credentials from `weft reg login` (and Docker's
 * config.json) on this machine, overridden for one registry by `WEFT_REGISTRY` with `WEFT_REGISTRY_USER` and
 * `WEFT_REGISTRY_PASSWORD` (or `WEFT_REGISTRY_TOKEN`): env vars only, so no password shows in `ps`.
 */
export function registryOptionsFrom(
  o: { allowInsecureRegistries: string[] } & Partial<RegistryPullCliOptions>,
  env = process.env,
) {
  const registryCredentials: Record<string, StoredCredential> = allCredentials();
  const {
    WEFT_REGISTRY: reg,
    WEFT_REGISTRY_USER: username,
    WEFT_REGISTRY_PASSWORD: password,
    WEFT_REGISTRY_TOKEN: token,
  } = env;
  if (reg && token) registryCredentials[registryKey(reg)] = { token };
  else if (reg && username && password !== undefined) registryCredentials[registryKey(reg)] = { username, password };
  else if (reg || username || password || token) {
    throw new CliError(
      CliErrorCode.Usage,
      'WEFT_REGISTRY, WEFT_REGISTRY_USER and WEFT_REGISTRY_PASSWORD (or WEFT_REGISTRY_TOKEN) go together',
      'set WEFT_REGISTRY=host[:port] with a user and password or a token, or unset them all',
    );
  }
  const ociPull = ociPullFrom(o); // mirrors, pull policy and timeout; the OCI cache in {--cache-dir}/oci
  return { allowInsecureRegistries: o.allowInsecureRegistries, registryCredentials, ...(ociPull ? { ociPull } : {}) };
}
