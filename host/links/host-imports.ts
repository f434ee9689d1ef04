import { mergeConfigs, WitError } from '../../lattice/index.ts';
import type { ConfigStore } from '../../lattice/index.ts';
import type { Logger } from '../logger.ts';
import { GuestLogLimiter, sanitizeLogLine } from '../runtime/guest-log-limit.ts';

const LEVELS: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  critical: 'fatal',
};

/** `wasi:logging` lines per component, host-wide (one process serves every component's imports). */
const logLimiter = new GuestLogLimiter();

/**
 * Imports the host serves itself (no link): `wasi:logging/logging` (to the host log, tagged with the component id)
 * and `wasi:config/store` (the named configs given when the component was scaled, merged left to right).
 * @returns undefined when `iface` is not host-internal.
 */
export function serveHostImport(
  d: { logger: Logger; config: ConfigStore; configNamesOf: (id: string) => string[] | undefined },
  componentId: string,
  iface: string,
  func: string,
  args: unknown[],
): Promise<unknown> | undefined {
  if (iface.startsWith('wasi:logging/logging')) {
    const [level, context, message] = args as [string, string, string];
    // rate-limited per component, control characters stripped and long lines cut (a guest must not flood the log)
    const dropped = logLimiter.take(componentId);
    if (dropped === false) return Promise.resolve(undefined);
    if (dropped > 0)
      d.logger.warn(
        { component_id: componentId, suppressed: dropped },
        `wasi:logging: ${dropped} lines of this component were dropped (over ${logLimiter.linesPerSecond} lines/s)`,
      );
    d.logger[LEVELS[level] ?? 'info'](
      { component_id: componentId, context: sanitizeLogLine(String(context), 256) },
      sanitizeLogLine(String(message)),
    );
    return Promise.resolve(undefined);
  }
  if (iface.startsWith('wasi:config/store') || iface.startsWith('wasi:config/runtime')) {
    return (async () => {
      let merged: Record<string, string>;
      try {
        merged = await mergeConfigs(d.config, d.configNamesOf(componentId) ?? []);
      } catch (err) {
        throw new WitError({ tag: 'upstream', val: (err as Error).message });
      }
      if (func === 'get') return merged[String(args[0])];
      if (func === 'get-all') return Object.entries(merged);
      throw new WitError({ tag: 'io', val: `unknown function ${func}` });
    })();
  }
  return undefined;
}
