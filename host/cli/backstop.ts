import { setBadInputSink } from '../../lattice/index.ts';
import { createLogger } from '../index.ts';
import type { Logger } from '../index.ts';

let installed = false;

/**
 * The last line of defence of the long-running processes (`weft up`, `weft ui`): a promise rejected with nobody to
 * catch it is logged (with its stack) and the process keeps serving, instead of Node ending it. Every input is
 * validated and every background promise has a catch, so a line from here is a bug to report, not an attack
 * that worked. A synchronous uncaught exception still ends the process (its state is unknown), after a log line.
 * Warnings about dropped malformed lattice input go to the same logger.
 */
export function installBackstop(logger: Logger = createLogger(process.env['WEFT_LOG_LEVEL'] ?? 'info')): void {
  if (installed) return;
  installed = true;
  setBadInputSink(logger);
  process.on('unhandledRejection', (reason) => {
    logger.error(
      { err: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) },
      'unexpected rejection (ignored, still serving)',
    );
  });
  process.on('uncaughtException', (err, origin) => {
    if (origin === 'unhandledRejection') {
      logger.error(
        { err: { message: err.message, stack: err.stack } },
        'unexpected rejection (ignored, still serving)',
      );
      return;
    }
    logger.fatal({ err: { message: err.message, stack: err.stack } }, 'uncaught exception: exiting');
    process.exitCode = 1;
    setImmediate(() => process.exit(1));
  });
}
