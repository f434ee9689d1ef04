/** Secrets for tests: the built-in backend on a test's connection, and a secret with its `SECRET_…` config. */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/transport-node';
import { DEFAULT_SECRETS_TOPIC, encodeSecretReference, newXkey, putSecret } from '../../lattice/secrets/index.ts';
import { SecretsBackend } from '../../host/secrets/index.ts';
import type { Logger } from '../../host/index.ts';
import type { CtlClient } from '../../lattice/index.ts';
import { captureLogger } from './log-capture.ts';

/** The external provider fixture that answers `weft:test/secret.hash(name)` with the sha256 of its secret `name`. */
export const SECRET_HASH_PROVIDER = fileURLToPath(new URL('../fixtures/providers/secret-hash.ts', import.meta.url));

/** The hex sha256 of `s` (what the secret-hash fixtures answer for a secret's value). */
export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The built-in backend (`weft`, on wasmCloud's default topic) on `nc`, with a fresh xkey. */
export function startTestSecretsBackend(nc: NatsConnection, logger: Logger = captureLogger().logger) {
  return SecretsBackend.start({ nc, topic: DEFAULT_SECRETS_TOPIC, backend: 'weft', xkey: newXkey(), logger });
}

/**
 * Stores `value` as secret `key` for the entities `allow` names, and the named config `config` (a `SECRET_…` name)
 * holding the reference to it under the secret name `name`.
 */
export async function putSecretConfig(
  nc: NatsConnection,
  ctl: CtlClient,
  o: { key: string; value: string; allow: string[]; config: string; name: string },
): Promise<void> {
  await putSecret(
    nc,
    { topic: DEFAULT_SECRETS_TOPIC, backend: 'weft' },
    { name: o.key, value: o.value, allow: o.allow },
  );
  await ctl.putConfig(o.config, encodeSecretReference({ name: o.name, backend: 'weft', key: o.key, policy: '' }));
}
