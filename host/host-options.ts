import { arch, platform } from 'node:os';
import { createServer as createServerKey, fromSeed } from '@nats-io/nkeys';
import { isValidLatticeName, registryHostOf } from '../lattice/index.ts';
import type { RegistryCredentials } from '../lattice/index.ts';
import { HostError, HostErrorCode } from './errors.ts';
import { generateFriendlyName } from './friendly-name.ts';
import { checkOciPullSettings } from './workloads/oci-pull.ts';
import type { OciPullOptions, OciPullSettings } from './workloads/oci-pull.ts';

/** Options of a host (flags of `weft up`, after wasmCloud's host config §7). */
export interface HostOptions {
  /** @default 'default' */
  lattice?: string;
  /** nkey seed of type server (`SN…`); a fresh one when not given. */
  hostSeed?: string;
  /** Labels; keys starting `hostcore.` are reserved. */
  labels?: Record<string, string>;
  /** Seconds between heartbeats. @default 30 */
  heartbeatIntervalSec?: number;
  /** Seconds between metrics samples on `wasmbus.metrics.{lattice}.{host_id}`. @default 5 */
  metricsIntervalSec?: number;
  /** Version reported in ping and inventory. @default package version */
  version?: string;
  /** Shown in ping replies (never with credentials). */
  ctlHost?: string;
  rpcHost?: string;
  jsDomain?: string;
  /** Accept `file://` component refs (providers: `allowProviderDirs`). @default false */
  allowFileLoad?: boolean;
  /** @default 50 MiB */
  maxComponentSizeBytes?: number;
  /** @default 10000 */
  maxComponents?: number;
  /** Run unsigned components (local development only). @default false */
  allowUnsigned?: boolean;
  /** Only components signed by these issuers (account keys, A…) run; any issuer when empty. */
  allowedIssuers?: string[];
  /** Refuse components without a caps claim (`--require-caps`). @default false */
  requireCaps?: boolean;
  /** Directories `file://` provider processes may start from (`--allow-provider-dir`); none allowed when empty. */
  allowProviderDirs?: string[];
  /** Registries (`host[:port]`) pulled from over plain HTTP besides localhost/127.0.0.1 (`--allow-insecure-registries`). */
  allowInsecureRegistries?: string[];
  /** OCI credentials per registry host (`ghcr.io`, `localhost:5000`, `docker.io`); `registry.put` adds to them. */
  registryCredentials?: Record<string, RegistryCredentials>;
  /** OCI pulls: cache dir, pull policy (`always` as wasmCloud, or `if-not-present`), whole-pull timeout, registry mirrors. */
  ociPull?: OciPullSettings;
  /** Where secrets backends answer (`--secrets-topic`, wasmCloud's): `{topic}.v1alpha1.{backend}.get`. @default 'wasmcloud.secrets' */
  secretsTopic?: string;
}

/** Options after validation and defaults. */
export interface CompiledHostOptions {
  lattice: string;
  hostId: string;
  hostSeed: string;
  friendlyName: string;
  labels: Record<string, string>;
  heartbeatIntervalMs: number;
  metricsIntervalMs: number;
  version: string;
  ctlHost?: string;
  rpcHost?: string;
  jsDomain?: string;
  allowFileLoad: boolean;
  maxComponentSizeBytes: number;
  maxComponents: number;
  allowUnsigned: boolean;
  allowedIssuers: string[];
  requireCaps: boolean;
  allowProviderDirs: string[];
  allowInsecureRegistries: string[];
  /** This host's registry credentials, in memory only (never logged, never in a reply); `registry.put` replaces entries. */
  registryCredentials: Map<string, RegistryCredentials>;
  /** What OCI pulls use: the insecure registries and a lookup in `registryCredentials`. */
  oci: OciPullOptions;
  secretsTopic: string;
}

export const WEFT_VERSION = '0.1.0';

/**
 * Validates options and fills defaults; derives the host id (nkey public key, starts with `N`).
 * @throws {HostError} HOST_BAD_OPTIONS on a bad lattice name, seed, label or interval.
 */
export function compileHostOptions(opts: HostOptions): CompiledHostOptions {
  const lattice = opts.lattice ?? 'default';
  if (!isValidLatticeName(lattice)) {
    throw new HostError(HostErrorCode.BadOptions, `lattice name "${lattice}" may only hold letters, digits, _ and -`);
  }
  const kp = opts.hostSeed ? parseServerSeed(opts.hostSeed) : createServerKey();
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.labels ?? {})) {
    if (k.startsWith('hostcore.'))
      throw new HostError(HostErrorCode.BadOptions, `label "${k}": hostcore.* is reserved`);
    labels[k] = v;
  }
  labels['hostcore.os'] = platform();
  labels['hostcore.arch'] = arch();
  labels['hostcore.osfamily'] = platform() === 'win32' ? 'windows' : 'unix';
  const hb = opts.heartbeatIntervalSec ?? 30;
  if (!(hb > 0)) throw new HostError(HostErrorCode.BadOptions, `heartbeat interval must be > 0 seconds, got ${hb}`);
  const mi = opts.metricsIntervalSec ?? 5;
  if (!(mi > 0)) throw new HostError(HostErrorCode.BadOptions, `metrics interval must be > 0 seconds, got ${mi}`);
  const allowInsecureRegistries = (opts.allowInsecureRegistries ?? []).map(registryHostOf).filter(Boolean);
  const registryCredentials = new Map(
    Object.entries(opts.registryCredentials ?? {}).map(([r, c]) => [registryHostOf(r), { ...c }]),
  );
  return {
    lattice,
    hostId: kp.getPublicKey(),
    hostSeed: new TextDecoder().decode(kp.getSeed()),
    friendlyName: generateFriendlyName(),
    labels,
    heartbeatIntervalMs: Math.round(hb * 1000),
    metricsIntervalMs: Math.round(mi * 1000),
    version: opts.version ?? WEFT_VERSION,
    ctlHost: opts.ctlHost,
    rpcHost: opts.rpcHost,
    jsDomain: opts.jsDomain,
    allowFileLoad: opts.allowFileLoad ?? false,
    maxComponentSizeBytes: opts.maxComponentSizeBytes ?? 50 * 1024 * 1024,
    maxComponents: opts.maxComponents ?? 10_000,
    allowUnsigned: opts.allowUnsigned ?? false,
    allowedIssuers: opts.allowedIssuers ?? [],
    requireCaps: opts.requireCaps ?? false,
    allowProviderDirs: opts.allowProviderDirs ?? [],
    allowInsecureRegistries,
    registryCredentials,
    oci: {
      allowInsecure: allowInsecureRegistries,
      credentials: (registry) => registryCredentials.get(registryHostOf(registry)),
      ...checkOciPullSettings(opts.ociPull),
    },
    secretsTopic: opts.secretsTopic ?? 'wasmcloud.secrets',
  };
}

function parseServerSeed(seed: string) {
  try {
    const kp = fromSeed(new TextEncoder().encode(seed.trim()));
    if (!kp.getPublicKey().startsWith('N')) throw new Error('not a server (host) seed');
    return kp;
  } catch (err) {
    throw new HostError(
      HostErrorCode.BadOptions,
      `--host-seed is not a valid host nkey seed (SN…): ${(err as Error).message}; create one with \`weft keys gen host\``,
      { cause: err },
    );
  }
}
