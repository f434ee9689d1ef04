import { readFile } from 'node:fs/promises';
import { connect, credsAuthenticator, jwtAuthenticator } from '@nats-io/transport-node';
import type { Authenticator, NatsConnection } from '@nats-io/transport-node';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { nodeKeyFromSeed } from '../wascap/nkey-codec.ts';

/** How to reach and authenticate to NATS. Secrets here are never logged or published. */
export interface NatsConnectOptions {
  /** Comma-separated or list of `nats://host:port` URLs. @default 'nats://127.0.0.1:4222' */
  url?: string | string[];
  /** Connection name shown by the server. */
  name?: string;
  /** Path to a `.creds` file (user JWT + seed). */
  credsFile?: string;
  /** User JWT, used with `seed`. */
  jwt?: string;
  /** nkey seed (`SU…`), alone for nkey auth or with `jwt`. */
  seed?: string;
  /** PEM file of the CA to verify the server's TLS certificate. */
  tlsCaFile?: string;
  /** Keep reconnecting forever (hosts) rather than failing (CLI). @default false */
  persistent?: boolean;
  /** Connect timeout in ms. @default 2000 */
  timeoutMs?: number;
}

/**
 * Connects to NATS with the given credentials.
 * @throws {LatticeError} LAT_CONNECT when the server cannot be reached or refuses the credentials.
 */
export async function connectNats(opts: NatsConnectOptions = {}): Promise<NatsConnection> {
  const servers = normalizeServers(opts.url ?? 'nats://127.0.0.1:4222');
  const authenticator = await buildAuth(opts);
  try {
    return await connect({
      servers,
      name: opts.name,
      authenticator,
      tls: opts.tlsCaFile ? { caFile: opts.tlsCaFile } : undefined,
      timeout: opts.timeoutMs ?? 2000,
      maxReconnectAttempts: opts.persistent ? -1 : 10,
      reconnectTimeWait: opts.persistent ? 250 : 1000,
      waitOnFirstConnect: false,
      pingInterval: opts.persistent ? 5000 : undefined,
      // nats.js otherwise builds two Error objects with stack traces for every request up front (to enrich a later
      // timeout): 18% of a host's main thread under lattice calls in the profile. Our errors carry codes and hints.
      noAsyncTraces: true,
    });
  } catch (err) {
    const auth = /auth/i.test(String(err));
    throw new LatticeError(
      LatticeErrorCode.Connect,
      `cannot connect to NATS at ${servers.join(',')}: ${(err as Error).message}`,
      {
        cause: err,
        hint: auth
          ? 'the server requires credentials: pass --nats-creds FILE or --nats-jwt/--nats-seed'
          : 'start a lattice with `weft up`, or pass --nats-url to point at a running nats-server',
      },
    );
  }
}

function normalizeServers(url: string | string[]): string[] {
  const list = Array.isArray(url) ? url : url.split(',');
  return list.map((u) => u.trim()).filter((u) => u.length > 0);
}

async function buildAuth(opts: NatsConnectOptions) {
  const enc = new TextEncoder();
  if (opts.credsFile) {
    const creds = await readFile(opts.credsFile).catch((err: unknown) => {
      throw new LatticeError(LatticeErrorCode.Connect, `cannot read creds file ${opts.credsFile}`, { cause: err });
    });
    return credsAuthenticator(new Uint8Array(creds));
  }
  if (opts.jwt) return jwtAuthenticator(opts.jwt, opts.seed ? enc.encode(opts.seed) : undefined);
  if (opts.seed) return nodeNkeyAuthenticator(opts.seed);
  return undefined;
}

/** nats.js's nkeyAuthenticator, signing the server's nonce with node:crypto instead of tweetnacl (nodeKeyFromSeed). */
function nodeNkeyAuthenticator(seed: string): Authenticator {
  return (nonce?: string) => {
    const kp = nodeKeyFromSeed(seed);
    return {
      nkey: kp.getPublicKey(),
      sig: nonce ? Buffer.from(kp.sign(new TextEncoder().encode(nonce))).toString('base64') : '',
    };
  };
}
