import { parseArtifactRef } from '../../lattice/index.ts';
import type { ProviderFactory, StartProviderCommand } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { requirePermitted } from '../policy/index.ts';
import type { PolicyPort } from '../policy/index.ts';
import { ExternalProviderProcess } from './external-provider.ts';
import type { ExternalNats } from './external-provider.ts';
import { resolveProviderFile } from './provider-file.ts';

/** Where providers may come from: the built-ins, and `file://` entries in the allowed directories. */
export interface ProviderSources {
  builtins: Record<string, ProviderFactory>;
  external?: { nats: ExternalNats; providerDirs: string[] };
  policy?: PolicyPort;
  logger: Logger;
}

/**
 * The factory of a `provider.start`: `weft+builtin://{name}`, or a `file://` entry run as its own process (inside
 * `--allow-provider-dir`); then the policy service, when there is one, is asked.
 * @throws {HostError} HOST_REFUSED for an unknown ref or a denial; HOST_PROVIDER_NOT_ALLOWED for a file outside.
 */
export async function providerFactoryFor(
  cmd: StartProviderCommand,
  s: ProviderSources,
  onRestart: (attempt: number) => void,
): Promise<ProviderFactory> {
  const ref = parseArtifactRef(cmd.provider_ref);
  let factory = ref.kind === 'builtin' ? s.builtins[ref.name] : undefined;
  if (ref.kind === 'file') {
    const path = await resolveProviderFile(ref.path, s.external?.providerDirs ?? [], s.logger);
    const ext = s.external;
    if (ext) factory = () => new ExternalProviderProcess(path, ext.nats, s.logger, onRestart);
  }
  if (!factory) {
    const names = Object.keys(s.builtins).map((n) => `weft+builtin://${n}`);
    throw new HostError(
      HostErrorCode.Refused,
      `unknown provider ${cmd.provider_ref}: built-ins are ${names.join(', ')}`,
    );
  }
  await requirePermitted(
    s.policy,
    'startProvider',
    { providerId: cmd.provider_id, imageRef: cmd.provider_ref, annotations: cmd.annotations ?? {} },
    `${cmd.provider_id}|${cmd.provider_ref}`,
    `starting provider ${cmd.provider_id}`,
  );
  return factory;
}
