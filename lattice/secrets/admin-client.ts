/**
 * Client of the built-in backend's management subjects (`weft secrets put|list|del`): the value of a put is sealed
 * to the backend's xkey with a fresh xkey, like a `get`; list and delete carry no value.
 */
import { headers } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { secretsSubject } from '../subjects.ts';
import { SecretsError, SecretsErrorCode } from './errors.ts';
import { SecretsClient } from './secrets-client.ts';
import { HOST_XKEY_HEADER } from './types.ts';
import { newXkey, sealTo } from './xkeys.ts';

export interface SecretAdminTarget {
  topic: string;
  backend: string;
  timeoutMs?: number;
}

/** One row of `list_secrets`: names, versions and allow rules, never values. */
export interface SecretListing {
  name: string;
  versions: { version: string; created_at: string }[];
  allow: string[];
}

async function ask(
  nc: NatsConnection,
  t: SecretAdminTarget,
  subject: string,
  data: Uint8Array | string,
  h?: ReturnType<typeof headers>,
) {
  let m;
  try {
    m = await nc.request(subject, data, { timeout: t.timeoutMs ?? 5000, headers: h });
  } catch (err) {
    throw new SecretsError(
      SecretsErrorCode.Unreachable,
      `secrets backend "${t.backend}" on topic ${t.topic} did not answer (${(err as Error).message}); is \`weft secrets serve\` (or \`weft up\`) running?`,
      { cause: err },
    );
  }
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(new TextDecoder().decode(m.data)) as Record<string, unknown>;
  } catch {
    throw new SecretsError(
      SecretsErrorCode.BadResponse,
      `backend "${t.backend}" answered with something that is not JSON`,
    );
  }
  if (r['success'] !== true) {
    const e = r['error'];
    const text =
      typeof e === 'string' ? e : e && typeof e === 'object' ? String(Object.values(e)[0] ?? '') : 'no reason given';
    throw new SecretsError(SecretsErrorCode.Backend, `backend "${t.backend}" refused: ${text.slice(0, 300)}`);
  }
  return r;
}

/** Stores a new version of `name`, readable by the entities `allow` names. @returns the version. */
export async function putSecret(
  nc: NatsConnection,
  t: SecretAdminTarget,
  s: { name: string; value: string | Uint8Array; allow: string[] },
): Promise<string> {
  const server = await new SecretsClient(nc, t).serverXkey(t.backend);
  const mine = newXkey();
  const body = JSON.stringify({
    name: s.name,
    allow: s.allow,
    ...(typeof s.value === 'string' ? { string_secret: s.value } : { binary_secret: [...s.value] }),
  });
  const h = headers();
  h.set(HOST_XKEY_HEADER, mine.getPublicKey());
  const r = await ask(nc, t, secretsSubject.put(t.topic, t.backend), sealTo(mine, body, server), h);
  return String(r['version']);
}

export async function listSecrets(nc: NatsConnection, t: SecretAdminTarget): Promise<SecretListing[]> {
  const r = await ask(nc, t, secretsSubject.list(t.topic, t.backend), '{}');
  return Array.isArray(r['secrets']) ? (r['secrets'] as SecretListing[]) : [];
}

/** Deletes one version, or every version when none is given. @returns how many were deleted. */
export async function deleteSecret(
  nc: NatsConnection,
  t: SecretAdminTarget,
  name: string,
  version?: string,
): Promise<number> {
  const r = await ask(nc, t, secretsSubject.del(t.topic, t.backend), JSON.stringify({ name, version }));
  return Number(r['deleted'] ?? 0);
}
