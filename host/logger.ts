import { pino } from 'pino';
import type { Logger } from 'pino';

/** Creates the host logger: pino JSON lines (to stderr, so stdout stays for command output). */
export function createLogger(level = 'info', bindings: Record<string, string> = {}): Logger {
  return pino({ level, base: bindings, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

export type { Logger };
