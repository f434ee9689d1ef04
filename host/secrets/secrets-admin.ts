/**
 * The built-in backend's management API (weft's own subjects, not wasmCloud's): `put_secret` (sealed to the
 * backend's xkey like a `get`), `list_secrets` (names, versions and allow rules, never values) and `delete_secret`.
 * Anyone who may publish on the secrets topic may call them: restrict that subject with NATS permissions.
 */
import type { Msg } from '@nats-io/transport-node';
import { HOST_XKEY_HEADER, openFrom, sealTo, SecretLimits } from '../../lattice/secrets/index.ts';
import { MAX_VERSIONS, nextVersion, RULE, SECRET_NAME, XKEY_MARKER } from './secret-records.ts';
import type { SecretRecord } from './secret-records.ts';
import type { KV } from '@nats-io/kv';
import type { XKeyPair } from '../../lattice/secrets/index.ts';
import type { Logger } from '../logger.ts';

/** What the management operations need of the backend (`SecretsBackend` is one). */
export interface SecretsBackendStore {
  readonly kv: KV;
  readonly xkey: XKeyPair;
  readonly logger: Logger;
  record(name: string): Promise<{ record?: SecretRecord; revision: number }>;
}

/** What the admin replies: `{success, …}`; `message` never holds a value. */
export type AdminReply = { success: true } & Record<string, unknown>;

const refuse = (message: string): Error => new Error(message);

function parseJson(data: Uint8Array, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw refuse(`${what} is not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw refuse(`${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function nameOf(o: Record<string, unknown>): string {
  const n = o['name'];
  if (typeof n !== 'string' || !SECRET_NAME.test(n) || n === XKEY_MARKER || n.startsWith('__'))
    throw refuse(
      '"name" must be 1-128 of letters, digits, _ - . / (not starting with __, no leading or trailing . or /)',
    );
  return n;
}

export async function handleManagement(b: SecretsBackendStore, op: string, msg: Msg): Promise<AdminReply> {
  if (op === 'list_secrets') return { success: true, secrets: await list(b) };
  if (op === 'delete_secret') return del(b, parseJson(msg.data, 'delete_secret request'));
  if (op === 'put_secret') {
    const sender = msg.headers?.get(HOST_XKEY_HEADER);
    if (!sender) throw refuse(`put_secret must be sealed to the backend's xkey, with header ${HOST_XKEY_HEADER}`);
    return put(b, parseJson(openFrom(b.xkey, msg.data, sender), 'put_secret request'));
  }
  throw refuse(`unknown operation ${op.slice(0, 40)}`);
}

async function put(b: SecretsBackendStore, o: Record<string, unknown>): Promise<AdminReply> {
  const name = nameOf(o);
  const allow = o['allow'];
  if (
    !Array.isArray(allow) ||
    allow.length === 0 ||
    allow.length > 64 ||
    !allow.every((r) => typeof r === 'string' && RULE.test(r))
  )
    throw refuse('"allow" must list 1-64 rules: component:ID, provider:ID, subject:KEY, issuer:KEY or cap:PACKAGE');
  let value: Uint8Array;
  let kind: 'string' | 'bytes';
  if (typeof o['string_secret'] === 'string') {
    value = new TextEncoder().encode(o['string_secret']);
    kind = 'string';
  } else if (
    Array.isArray(o['binary_secret']) &&
    o['binary_secret'].every((x) => Number.isInteger(x) && x >= 0 && x <= 255)
  ) {
    value = Uint8Array.from(o['binary_secret'] as number[]);
    kind = 'bytes';
  } else throw refuse('give the value as string_secret or binary_secret (a list of bytes)');
  if (value.length > SecretLimits.value) throw refuse(`the value is larger than ${SecretLimits.value} bytes`);
  for (let attempt = 0; ; attempt++) {
    const { record, revision } = await b.record(name);
    const versions = record?.versions ?? [];
    if (versions.length >= MAX_VERSIONS)
      throw refuse(
        `secret ${name} keeps ${MAX_VERSIONS} versions: delete old ones (weft secrets del ${name} --version V)`,
      );
    const version = nextVersion(record);
    const next: SecretRecord = {
      name,
      allow: allow as string[],
      versions: [
        ...versions,
        {
          version,
          kind,
          sealed: Buffer.from(sealTo(b.xkey, value, b.xkey.getPublicKey())).toString('base64'),
          created_at: new Date().toISOString(),
        },
      ],
    };
    try {
      if (revision === 0) await b.kv.create(name, JSON.stringify(next));
      else await b.kv.update(name, JSON.stringify(next), revision);
      b.logger.info({ secret: name, version, allow }, 'secret stored');
      return { success: true, name, version };
    } catch (err) {
      if (attempt >= 4) throw err; // another put raced this one: read again
    }
  }
}

async function list(
  b: SecretsBackendStore,
): Promise<{ name: string; versions: { version: string; created_at: string }[]; allow: string[] }[]> {
  const out = [];
  for await (const k of await b.kv.keys()) {
    if (k === XKEY_MARKER) continue;
    const { record } = await b.record(k);
    if (record)
      out.push({
        name: record.name,
        versions: record.versions.map((v) => ({ version: v.version, created_at: v.created_at })),
        allow: record.allow,
      });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

async function del(b: SecretsBackendStore, o: Record<string, unknown>): Promise<AdminReply> {
  const name = nameOf(o);
  const version = o['version'];
  if (version !== undefined && typeof version !== 'string') throw refuse('"version" must be a string');
  const { record, revision } = await b.record(name);
  if (!record) return { success: true, name, deleted: 0 };
  const keep = version === undefined ? [] : record.versions.filter((v) => v.version !== version);
  const deleted = record.versions.length - keep.length;
  if (keep.length === 0) await b.kv.purge(name);
  else await b.kv.update(name, JSON.stringify({ ...record, versions: keep }), revision);
  b.logger.info({ secret: name, version, deleted }, 'secret deleted');
  return { success: true, name, deleted };
}
