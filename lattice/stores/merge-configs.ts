import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { isSecretConfigName } from '../secrets/types.ts';
import type { ConfigStore } from './config-store.ts';

/** Options of {@link mergeConfigs}. */
export interface MergeConfigsOptions {
  /** A missing name fails (LAT_NOT_FOUND) instead of being skipped. @default false */
  required?: boolean;
  /**
   * Called when the store cannot read one name (a corrupt entry, a KV failure); that name is skipped and the rest
   * still merged. Without it the failure propagates.
   */
  onUnreadable?: (name: string, err: unknown) => void;
}

/**
 * THE rule for named configs given together (a component's `--config`, a provider's `--config`, a link's source or
 * target config): read in order, merged left to right so a later name's key wins (wasmCloud's order). A name with
 * no config is skipped (it may have been deleted since the link or scale was accepted) unless `required`. A
 * `SECRET_…` name is a secret reference, never configuration: checked to exist when `required`, otherwise not read.
 * A store failure propagates unless `onUnreadable` takes it (then only that name is left out).
 * @throws {LatticeError} LAT_NOT_FOUND naming the first missing config, when `required`.
 */
export async function mergeConfigs(
  store: ConfigStore,
  names: readonly string[],
  opts: MergeConfigsOptions = {},
): Promise<Record<string, string>> {
  const merged = Object.create(null) as Record<string, string>; // a guest asking for `toString` gets nothing
  for (const name of names) {
    const secret = isSecretConfigName(name);
    if (secret && !opts.required) continue;
    let values: Record<string, string> | undefined;
    try {
      values = await store.get(name);
    } catch (err) {
      if (!opts.onUnreadable) throw err;
      opts.onUnreadable(name, err);
      continue;
    }
    // a SECRET_… name is a secret reference (checked to exist), never configuration a guest or provider reads
    if (values) Object.assign(merged, secret ? {} : values);
    else if (opts.required)
      throw new LatticeError(
        LatticeErrorCode.NotFound,
        `config "${name}" does not exist; create it first with \`weft config put ${name} KEY=VALUE\``,
      );
  }
  return merged;
}
