import { Option } from 'commander';
import type { Command } from 'commander';
// the light entry: no NATS code loads until a command connects (main.ts, "start cost")
import { badIdMessage, connectNats, CtlClient, ID_RULE, isValidId } from '../../lattice/client.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsConnectOptions } from '../../lattice/index.ts';
import { currentContext } from './contexts.ts';
import { CliError, CliErrorCode } from './errors.ts';
import { localNatsSeed } from './home.ts';
import type { OutputFormat } from './output.ts';

/** Options every client command takes (`--nats-url`, `--lattice`, credentials, `-o`). */
export interface LatticeCliOptions {
  natsUrl: string;
  lattice: string;
  output: OutputFormat;
  timeoutMs: number;
  natsCreds?: string;
  natsJwt?: string;
  natsSeed?: string;
  tlsCa?: string;
  verbose?: boolean;
}

/**
 * Fills the connection options not given by flag or env from the context in use (`weft ctx`), then the built-in
 * defaults. Run before every action (commander preAction hook).
 */
export function applyContext(o: Record<string, unknown>): void {
  if (!('natsUrl' in o) && !('lattice' in o) && !('timeoutMs' in o)) return; // not a lattice command
  const c = currentContext()?.ctx;
  o['natsUrl'] ??= c?.nats_url ?? 'nats://127.0.0.1:4222';
  o['lattice'] ??= c?.lattice ?? 'default';
  if (c?.nats_creds && !o['natsCreds'] && !o['natsJwt'] && !o['natsSeed']) o['natsCreds'] = c.nats_creds;
  if (c?.tls_ca) o['tlsCa'] ??= c.tls_ca;
}

/** Adds `-o/--output` to a command. */
export function withOutput(cmd: Command): Command {
  return cmd.addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'));
}

/** Adds the lattice connection options (with `WEFT_*` env vars) and `-o` to a command. */
export function withLattice(cmd: Command): Command {
  return withOutput(cmd)
    .addOption(
      new Option('--nats-url <url>', 'NATS server URL (default: the weft ctx in use, else nats://127.0.0.1:4222)').env(
        'WEFT_NATS_URL',
      ),
    )
    .addOption(
      new Option('--lattice <name>', 'lattice name (default: the weft ctx in use, else "default")').env('WEFT_LATTICE'),
    )
    .addOption(new Option('--nats-creds <file>', 'NATS credentials file').env('WEFT_NATS_CREDS'))
    .addOption(new Option('--nats-jwt <jwt>', 'NATS user JWT (with --nats-seed)').env('WEFT_NATS_JWT'))
    .addOption(new Option('--nats-seed <seed>', 'NATS nkey seed').env('WEFT_NATS_SEED'))
    .addOption(new Option('--tls-ca <file>', 'CA certificate for NATS TLS').env('WEFT_TLS_CA'))
    .addOption(new Option('--timeout-ms <ms>', 'request timeout in ms').argParser((v) => Number(v)).default(2000));
}

/**
 * The NATS connect options from CLI options. Without explicit credentials, the local lattice's user seed (made by
 * `weft up`) is used, so commands work against the secured local nats-server.
 */
export function natsOptionsOf(o: LatticeCliOptions): NatsConnectOptions {
  const explicit = o.natsCreds || o.natsJwt || o.natsSeed;
  const seed = explicit ? o.natsSeed : localNatsSeed();
  return { url: o.natsUrl, credsFile: o.natsCreds, jwt: o.natsJwt, seed, tlsCaFile: o.tlsCa, name: 'weft-cli' };
}

/** Connects and runs `fn` with the connection, always closing it (for clients other than the ctl client). */
export async function withNats<T>(o: LatticeCliOptions, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connectNats(natsOptionsOf(o));
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

/** Connects and runs `fn` with a control-interface client, always closing the connection. */
export async function withCtl<T>(o: LatticeCliOptions, fn: (ctl: CtlClient) => Promise<T>): Promise<T> {
  return withNats(o, (nc) => fn(new CtlClient(nc, { lattice: o.lattice, timeoutMs: o.timeoutMs })));
}

/**
 * THE parser of repeatable list options (`--config a,b --config c` → `['a', 'b', 'c']`): commander calls it once
 * per occurrence with the list so far; empty items are dropped.
 */
export function collect(value: string, previous: string[]): string[] {
  return previous.concat(value.split(',').filter(Boolean));
}

/**
 * `KEY=VALUE` items (`config put` pairs, `--constraint`, `--annotation`) as a map; the value may hold `=`.
 * @throws {CliError} CLI_USAGE naming the item when it has no `=` or an empty key.
 */
export function parseKeyValues(
  items: readonly string[],
  example = 'e.g. weft config put http-cfg address=127.0.0.1:8080',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0) throw new CliError(CliErrorCode.Usage, `"${item}" is not KEY=VALUE`, example);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/**
 * Checks id and name arguments (component, provider, link, config, app) before anything is sent.
 * @throws {CliError} CLI_USAGE (exit code 2) naming the argument and the rule.
 */
export function requireIds(args: Record<string, string | string[] | undefined>): void {
  for (const [field, v] of Object.entries(args)) {
    for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
      if (!isValidId(x)) throw new CliError(CliErrorCode.Usage, badIdMessage(field, x), `ids and names are ${ID_RULE}`);
    }
  }
}
