import { createRequire } from 'node:module';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { PinoPretty } from 'pino-pretty';

// pino-pretty (~3 MB resident, 29 modules) is loaded only for a logger that prints pretty lines, not by a host logging
// JSON (stderr not a terminal: a service, a container, the tests); it is CommonJS, so `require` keeps this sync
const require = createRequire(import.meta.url);

/** `json`: one JSON object per line (for log shippers); `pretty`: coloured, one readable line each; `auto`: pretty on a TTY. */
export type LogFormat = 'json' | 'pretty' | 'auto';

/**
 * Creates the host logger on stderr (stdout stays for command output): pino JSON lines, or pino-pretty's readable
 * lines when stderr is a terminal (`WEFT_LOG_FORMAT=json|pretty` overrides).
 */
export function createLogger(
  level = 'info',
  bindings: Record<string, string> = {},
  format: LogFormat = (process.env['WEFT_LOG_FORMAT'] as LogFormat | undefined) ?? 'auto',
): Logger {
  const opts = { level, base: bindings, timestamp: pino.stdTimeFunctions.isoTime };
  const pretty = format === 'pretty' || (format === 'auto' && process.stderr.isTTY);
  if (!pretty) return pino(opts, pino.destination(2));
  const { PinoPretty: prettyStream } = require('pino-pretty') as { PinoPretty: typeof PinoPretty };
  return pino(
    opts,
    prettyStream({
      destination: 2,
      sync: true,
      colorize: process.stderr.isTTY && !process.env['NO_COLOR'],
      translateTime: 'HH:MM:ss.l',
      ignore: 'pid,hostname,lattice',
      singleLine: true,
    }),
  );
}

export type { Logger };
