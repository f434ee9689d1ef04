import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { isSecretConfigName } from '../secrets/types.ts';
import type { ConfigStore } from './config-store.ts';

/** Options of {@link mergeConfigs}. */
export interface MergeConfigsOptions {
  /** A missing name fails (LAT_NOT_FOUND) instead of being skipped. @default false */
  required?: boolean;
}

/**
 * THE rule for named configs given together (a component's `--config`, a link's source/target config): read in
 * order, merged left to right so a later name's key wins (wasmCloud's order). A name with no config is skipped
 * (it may have been deleted since the link or scale was accepted) unless `required`. A store failure propagates:
 * the caller decides whether to go on without it.
 * @throws {LatticeError} LAT_NOT_FOUND naming the first missing config, when `required`.
 */
export async function mergeConfigs(
  store: ConfigStore,
  names: readonly string[],
  opts: MergeConfigsOptions = {},
): Promise<Record<string, string>> {
  const merged = Object.create(null) as Record<string, string>; // a guest asking for `toString` gets nothing
  for (const name of names) {
    const values = await store.get(name);
    // a SECRET_… name is a secret reference (checked to exist), never configuration a guest or provider reads
    if (values) Object.assign(merged, isSecretConfigName(name) ? {} : values);
    else if (opts.required)
      throw new LatticeError(
        LatticeErrorCode.NotFound,
        `config "${name}" does not exist; create it first with \`weft config put ${name} KEY=VALUE\``,
      );
  }
  return merged;
}
