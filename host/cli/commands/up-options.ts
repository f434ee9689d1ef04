import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { collect } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { pullPolicyOption, pullTimeoutOption, registryMirrorOption } from '../registry-options.ts';
import type { RegistryPullCliOptions } from '../registry-options.ts';

/** A time limit flag: a whole number of milliseconds above 0 (commander prints the flag and the value refused). */
const positiveMs = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError('must be a whole number of milliseconds above 0');
  return n;
};

export { registryOptionsFrom } from '../registry-options.ts';

/** Options of `weft up` (wasmCloud host flags, §7, with `WEFT_*` env vars). */
export interface UpOptions extends LatticeCliOptions, RegistryPullCliOptions {
  natsUrl: string;
  natsPort: number;
  hostSeed?: string;
  label: string[];
  heartbeatInterval: number;
  metricsInterval: number;
  logLevel: string;
  detached?: boolean;
  multiLocal?: boolean;
  jsDomain?: string;
  httpAdmin?: string;
  otlpEndpoint?: string;
  natsAuth: boolean;
  controller: boolean;
  jsReplicas: number;
  natsRemoteUrl?: string;
  missedHeartbeats: number;
  allowFileLoad?: boolean;
  allowUnsigned?: boolean;
  allowedIssuers?: string;
  requireCaps?: boolean;
  allowProviderDir: string[];
  allowInsecureRegistries: string[];
  policyTopic?: string;
  policyChangesTopic?: string;
  policyTimeoutMs: number;
  secretsTopic: string;
  secrets: boolean;
  cacheDir?: string;
  workers?: number;
  maxExecutionTimeMs: number;
  httpTimeoutMs: number;
  maxLinearMemoryBytes: number;
  maxGuestMemoryBytes?: number;
  maxGuestInstances: number;
  maxComponentSizeBytes: number;
  maxComponents: number;
  ctlUrl?: string;
  ctlCreds?: string;
  ctlJwt?: string;
  ctlSeed?: string;
  ctlTlsCa?: string;
  rpcUrl?: string;
  rpcCreds?: string;
  rpcJwt?: string;
  rpcSeed?: string;
  rpcTlsCa?: string;
  providerNatsSeed?: string;
  messagingNatsSeed?: string;
}

/** Adds the flags of `weft up` (with their `WEFT_*` env vars and defaults) to `cmd`. */
export function addUpOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--nats-url <url>', 'use this NATS server instead of starting one').env('WEFT_NATS_URL'))
    .addOption(
      new Option('--nats-port <port>', 'port of the local nats-server')
        .env('WEFT_NATS_PORT')
        .default(4222)
        .argParser(Number),
    )
    .addOption(new Option('--lattice <name>', 'lattice name').env('WEFT_LATTICE').default('default'))
    .addOption(
      new Option('--host-seed <seed>', 'host nkey seed (SN…); a fresh one when not given').env('WEFT_HOST_SEED'),
    )
    .addOption(
      new Option('-l, --label <k=v>', 'host label (repeatable; also WEFT_LABEL_{k}=v)').default([]).argParser(collect),
    )
    .addOption(
      new Option('--heartbeat-interval <seconds>', 'seconds between heartbeats')
        .env('WEFT_HEARTBEAT_INTERVAL')
        .default(30)
        .argParser(Number),
    )
    .addOption(
      new Option('--metrics-interval <seconds>', 'seconds between metrics samples (weft ui, weft top)')
        .env('WEFT_METRICS_INTERVAL')
        .default(5)
        .argParser(Number),
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .env('WEFT_LOG_LEVEL')
        .default('info')
        .choices(['trace', 'debug', 'info', 'warn', 'error']),
    )
    .addOption(new Option('--js-domain <domain>', 'JetStream domain').env('WEFT_JS_DOMAIN'))
    .addOption(new Option('--nats-creds <file>', 'NATS credentials file').env('WEFT_NATS_CREDS'))
    .addOption(new Option('--nats-jwt <jwt>', 'NATS user JWT').env('WEFT_NATS_JWT'))
    .addOption(new Option('--nats-seed <seed>', 'NATS nkey seed').env('WEFT_NATS_SEED'))
    .addOption(new Option('--tls-ca <file>', 'CA certificate for NATS TLS').env('WEFT_TLS_CA'))
    .addOption(
      new Option('--http-admin <addr>', 'serve /livez, /readyz and Prometheus /metrics on HOST:PORT').env(
        'WEFT_HTTP_ADMIN',
      ),
    )
    .addOption(
      new Option(
        '--otlp-endpoint <url>',
        'export invocation spans (W3C trace context) as OTLP/HTTP to URL, e.g. http://127.0.0.1:4318',
      ).env('WEFT_OTLP_ENDPOINT'),
    )
    .addOption(
      new Option('--ctl-url <url>', 'NATS URL for the control interface (default: --nats-url)').env('WEFT_CTL_URL'),
    )
    .addOption(new Option('--ctl-creds <file>', 'credentials for the ctl connection').env('WEFT_CTL_CREDS'))
    .addOption(new Option('--ctl-jwt <jwt>', 'user JWT for the ctl connection').env('WEFT_CTL_JWT'))
    .addOption(new Option('--ctl-seed <seed>', 'nkey seed for the ctl connection').env('WEFT_CTL_SEED'))
    .addOption(new Option('--ctl-tls-ca <file>', 'CA for the ctl connection').env('WEFT_CTL_TLS_CA'))
    .addOption(
      new Option('--rpc-url <url>', 'NATS URL for invocations (default: the ctl connection)').env('WEFT_RPC_URL'),
    )
    .addOption(new Option('--rpc-creds <file>', 'credentials for the rpc connection').env('WEFT_RPC_CREDS'))
    .addOption(new Option('--rpc-jwt <jwt>', 'user JWT for the rpc connection').env('WEFT_RPC_JWT'))
    .addOption(new Option('--rpc-seed <seed>', 'nkey seed for the rpc connection').env('WEFT_RPC_SEED'))
    .addOption(new Option('--rpc-tls-ca <file>', 'CA for the rpc connection').env('WEFT_RPC_TLS_CA'))
    .addOption(
      new Option(
        '--provider-nats-seed <seed>',
        "nkey seed of external provider processes on a nats-server weft does not start (default: the host's credentials)",
      ).env('WEFT_PROVIDER_NATS_SEED'),
    )
    .addOption(
      new Option(
        '--messaging-nats-seed <seed>',
        "nkey seed of messaging-nats' default connection (with --provider-nats-seed)",
      ).env('WEFT_MESSAGING_NATS_SEED'),
    )
    .addOption(
      new Option('--allow-file-load', 'allow file:// component refs (providers: --allow-provider-dir)').env(
        'WEFT_ALLOW_FILE_LOAD',
      ),
    )
    .addOption(
      new Option(
        '--allow-provider-dir <dir>',
        'start file:// provider processes (.js/.mjs/.ts) from this directory (repeatable)',
      )
        .default([])
        .argParser(collect),
    )
    .addOption(
      new Option(
        '--allow-insecure-registries <host>',
        'pull from this OCI registry (host[:port]) over plain HTTP; localhost and 127.0.0.1 always may (repeatable)',
      )
        .env('WEFT_ALLOW_INSECURE_REGISTRIES')
        .default([])
        .argParser(collect),
    )
    .addOption(registryMirrorOption())
    .addOption(pullPolicyOption())
    .addOption(pullTimeoutOption())
    .addOption(
      new Option('--require-caps', 'refuse components whose claims have no caps claim (none runs unrestricted)').env(
        'WEFT_REQUIRE_CAPS',
      ),
    )
    .addOption(new Option('--cache-dir <dir>', 'transpile cache').env('WEFT_CACHE_DIR'))
    .addOption(
      new Option('--workers <n>', 'guest worker threads (default: cores)').env('WEFT_WORKERS').argParser(Number),
    )
    .addOption(
      new Option('--max-execution-time-ms <ms>', 'stop a call running longer')
        .env('WEFT_MAX_EXECUTION_TIME_MS')
        .default(600_000)
        .argParser(positiveMs),
    )
    .addOption(
      new Option('--http-timeout-ms <ms>', 'stop an HTTP handler whose link sets no timeout_ms (504)')
        .env('WEFT_HTTP_TIMEOUT_MS')
        .default(30_000)
        .argParser(positiveMs),
    )
    .addOption(
      new Option('--max-linear-memory-bytes <n>', 'linear memory cap per instance')
        .env('WEFT_MAX_LINEAR_MEMORY_BYTES')
        .default(256 * 1024 * 1024)
        .argParser(Number),
    )
    .addOption(
      new Option(
        '--max-guest-memory-bytes <n>',
        'host-wide guest linear memory; past it calls get COMP_BUSY / HTTP 503 (default: half the RAM)',
      )
        .env('WEFT_MAX_GUEST_MEMORY_BYTES')
        .argParser(Number),
    )
    .addOption(
      new Option(
        '--max-guest-instances <n>',
        'host-wide guest calls at once (running or waiting for an instance); more get COMP_BUSY',
      )
        .env('WEFT_MAX_GUEST_INSTANCES')
        .default(1000)
        .argParser(Number),
    )
    .addOption(
      new Option('--max-component-size-bytes <n>', 'largest component accepted')
        .env('WEFT_MAX_COMPONENT_SIZE_BYTES')
        .default(50 * 1024 * 1024)
        .argParser(Number),
    )
    .addOption(
      new Option('--max-components <n>', 'most components per host')
        .env('WEFT_MAX_COMPONENTS')
        .default(10_000)
        .argParser(Number),
    )
    .addOption(
      new Option('--allow-unsigned', 'run components without signed claims (local development only)').env(
        'WEFT_ALLOW_UNSIGNED',
      ),
    )
    .addOption(
      new Option(
        '--allowed-issuers <keys>',
        'comma-separated issuer (account) public keys allowed to sign components',
      ).env('WEFT_ALLOWED_ISSUERS'),
    )
    .addOption(
      new Option('--policy-topic <subject>', 'ask this policy service before starting components').env(
        'WEFT_POLICY_TOPIC',
      ),
    )
    .addOption(
      new Option('--policy-changes-topic <subject>', 'policy decision updates').env('WEFT_POLICY_CHANGES_TOPIC'),
    )
    .addOption(
      new Option('--policy-timeout-ms <ms>', 'policy request timeout (timeout = deny)')
        .env('WEFT_POLICY_TIMEOUT_MS')
        .default(1000)
        .argParser(Number),
    )
    .addOption(
      new Option('--js-replicas <n>', 'replicas of the lattice KV buckets when created (3 on a 3-node cluster)')
        .env('WEFT_JS_REPLICAS')
        .default(1)
        .argParser(Number),
    )
    .addOption(
      new Option(
        '--nats-remote-url <url>',
        'join a remote lattice: the local nats-server becomes a leaf node of this URL (use with --js-domain)',
      ).env('WEFT_NATS_REMOTE_URL'),
    )
    .option('--no-controller', 'do not run the application reconciler in this process')
    .addOption(
      new Option('--secrets-topic <topic>', 'where secrets backends answer ({topic}.v1alpha1.{backend}.get)')
        .env('WEFT_SECRETS_TOPIC')
        .default('wasmcloud.secrets'),
    )
    .option('--no-secrets', 'do not run the built-in secrets backend (weft secrets serve) in this process')
    .addOption(
      new Option('--missed-heartbeats <n>', 'heartbeats a host may miss before the controller moves its work')
        .env('WEFT_MISSED_HEARTBEATS')
        .default(2)
        .argParser(Number),
    )
    .option('--no-nats-auth', 'let any local process connect to the nats-server weft starts (default: nkey auth)')
    .option('-d, --detached', 'run in the background; stop with `weft down`')
    .option(
      '--multi-local',
      'run one more host beside the one `weft up` already runs on this machine (its own state; `weft down NAME` or `--all`)',
    );
}
