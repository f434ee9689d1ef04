import { existsSync, mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { isValidLatticeName, rpcSubject, WASMCLOUD_SUBJECT_TREES } from '../subjects.ts';

/** NATS permissions of one user (nats-server's `permissions` block). */
export interface NatsPermissions {
  publish?: { allow?: string[]; deny?: string[] };
  subscribe?: { allow?: string[]; deny?: string[] };
  /** Lets the user answer the reply subject of a message it received, whatever `publish` says. */
  allow_responses?: boolean;
}

/** An nkey user of a nats-server config; without permissions it may use every subject. */
export interface NkeyUser {
  nkey: string;
  permissions?: NatsPermissions;
}

/** Subjects of the lattice, JetStream and the system that guest-chosen messaging traffic never uses. */
export const RESERVED_SUBJECTS: readonly string[] = [...WASMCLOUD_SUBJECT_TREES, '$JS.>', '$KV.>', '$O.>', '$SYS.>'];

/** The JetStream streams of the lattice's own KV buckets (lattice data, config, manifests, the controller lease). */
export function reservedStreams(lattice: string): string[] {
  return [`KV_LATTICEDATA_${lattice}`, `KV_CONFIGDATA_${lattice}`, 'KV_wadm_manifests', 'KV_weft_controller'];
}

const apiPrefixes = (jsDomain?: string): string[] => ['$JS.API', ...(jsDomain ? [`$JS.${jsDomain}.API`] : [])];

/**
 * The user of the built-in messaging-nats provider's default connection (guest traffic): every subject but the
 * reserved ones (`wasmbus.>`, `$JS.>`, `$KV.>`, `$O.>`, `$SYS.>`, `wadm.>`, `wasmcloud.>`), in both directions.
 * `_INBOX.>` stays open: requests and their replies use it.
 */
export function messagingPermissions(): NatsPermissions {
  return { publish: { deny: [...RESERVED_SUBJECTS] }, subscribe: { deny: [...RESERVED_SUBJECTS] } };
}

/**
 * The user of external provider processes (`capabilities/sdk` runProvider) on one lattice: its RPC subjects
 * `wasmbus.rpc.{lattice}.>` (calls, link put/del, health, shutdown; calls to components), its inbox, replies to what
 * it receives (`allow_responses`, so no publish on other clients' inboxes), and the JetStream KV API keyvalue-nats
 * uses (info, create, get, put, list keys) on any bucket but the lattice's own (see {@link reservedStreams}).
 * Nothing of `wasmbus.ctl.>`, `wasmbus.evt.>`, `$SYS.>`, `$O.>`, `wadm.>`, and no stream delete or purge.
 *
 * Limit: JetStream scopes its API by stream name only, so a user that may create streams can give one any subjects,
 * sources or republish rules; against a hostile provider process this is not a boundary (a separate account is).
 */
export function providerPermissions(lattice: string, jsDomain?: string): NatsPermissions {
  for (const [what, v] of [
    ['lattice', lattice],
    ['JetStream domain', jsDomain ?? 'x'],
  ] as const) {
    if (!isValidLatticeName(v))
      throw new LatticeError(
        LatticeErrorCode.BadRequest,
        `${what} ${JSON.stringify(v.slice(0, 40))} is not usable in NATS subjects: use letters, digits, '_' or '-'`,
      );
  }
  const allow = [rpcSubject.all(lattice), '$KV.>'];
  const deny: string[] = [];
  for (const p of apiPrefixes(jsDomain)) {
    allow.push(
      `${p}.INFO`,
      ...['INFO', 'CREATE', 'UPDATE', 'MSG.GET'].map((op) => `${p}.STREAM.${op}.*`),
      `${p}.DIRECT.GET.*`,
      `${p}.DIRECT.GET.*.>`,
      `${p}.CONSUMER.CREATE.*`,
      `${p}.CONSUMER.CREATE.*.>`,
      ...['INFO', 'DELETE', 'MSG.NEXT'].map((op) => `${p}.CONSUMER.${op}.*.*`),
    );
    for (const s of reservedStreams(lattice)) {
      deny.push(`${p}.STREAM.*.${s}`, `${p}.STREAM.MSG.GET.${s}`, `${p}.DIRECT.GET.${s}`, `${p}.DIRECT.GET.${s}.>`);
      deny.push(`${p}.CONSUMER.*.${s}`, `${p}.CONSUMER.*.${s}.>`, `${p}.CONSUMER.MSG.NEXT.${s}.*`);
    }
  }
  for (const s of reservedStreams(lattice)) deny.push(`$KV.${s.slice(3)}.>`);
  return {
    publish: { allow, deny },
    subscribe: { allow: [rpcSubject.all(lattice), '_INBOX.>'] },
    allow_responses: true,
  };
}

/** The `authorization { users = [...] }` block of a nats-server config (permissions in JSON, which the format reads). */
export function authorizationBlock(users: NkeyUser[]): string {
  const one = (u: NkeyUser): string =>
    u.permissions ? `{ nkey: "${u.nkey}", permissions: ${JSON.stringify(u.permissions)} }` : `{ nkey: "${u.nkey}" }`;
  return `authorization { users = [\n  ${users.map(one).join(',\n  ')}\n] }`;
}

/**
 * The nkey user whose seed is in `file`: created (file mode 0600, folder 0700) when missing, so a weft nats folder
 * of an older version gains the users it lacks. Returns the seed and public key.
 * @throws {LatticeError} LAT_NATS_SERVER when the file holds no user seed.
 */
export async function nkeyUserFile(file: string): Promise<{ seed: string; publicKey: string }> {
  const { createUser, fromSeed } = await import('@nats-io/nkeys');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, new TextDecoder().decode(createUser().getSeed()) + '\n', { mode: 0o600, flag: 'wx' }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err; // another weft up made it first: use theirs
      },
    );
  }
  const seed = (await readFile(file, 'utf8')).trim();
  try {
    const kp = fromSeed(new TextEncoder().encode(seed));
    if (!seed.startsWith('SU')) throw new Error('not a user seed');
    return { seed, publicKey: kp.getPublicKey() };
  } catch {
    throw new LatticeError(LatticeErrorCode.NatsServer, `${file} does not hold an nkey user seed (SU…)`, {
      hint: 'delete the file; weft up makes a new one',
    });
  }
}

/**
 * The provider and messaging users of a weft nats folder (`provider.seed`, `messaging.seed`, made when missing) and
 * their part of the server config for `lattice`.
 * @throws {LatticeError} LAT_NATS_SERVER for a seed file that holds no user seed; LAT_BAD_REQUEST for a bad lattice.
 */
export async function providerNatsUsers(
  dir: string,
  lattice: string,
  jsDomain?: string,
): Promise<{ seeds: { provider: string; messaging: string }; config: NkeyUser[] }> {
  const provider = await nkeyUserFile(join(dir, 'provider.seed'));
  const messaging = await nkeyUserFile(join(dir, 'messaging.seed'));
  return {
    seeds: { provider: provider.seed, messaging: messaging.seed },
    config: [
      { nkey: provider.publicKey, permissions: providerPermissions(lattice, jsDomain) },
      { nkey: messaging.publicKey, permissions: messagingPermissions() },
    ],
  };
}
