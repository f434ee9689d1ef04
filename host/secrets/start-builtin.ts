/**
 * The built-in secrets backend `weft up` runs beside its host (unless `--no-secrets`), on the host's connection.
 * A failure to start it is a warning, not a failed `weft up`: hosts still ask any other backend on the topic.
 */
import { join } from 'node:path';
import { DEFAULT_SECRETS_BACKEND } from '../../lattice/secrets/index.ts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../logger.ts';
import { loadBackendXkey } from './backend-key.ts';
import { SecretsBackend } from './secrets-backend.ts';

export async function startBuiltinSecrets(
  host: { logger: Logger; nc: NatsConnection },
  o: { secretsTopic: string; jsReplicas?: number; home?: string },
): Promise<SecretsBackend | undefined> {
  const home = o.home ?? process.env['WEFT_HOME'] ?? join(process.env['HOME'] ?? '.', '.weft');
  const logger = host.logger.child({ role: 'secrets' });
  try {
    return await SecretsBackend.start({
      nc: host.nc,
      topic: o.secretsTopic,
      backend: DEFAULT_SECRETS_BACKEND,
      xkey: loadBackendXkey(join(home, 'secrets'), DEFAULT_SECRETS_BACKEND),
      logger,
      replicas: o.jsReplicas,
    });
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'built-in secrets backend not started');
    return undefined;
  }
}
