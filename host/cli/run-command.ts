import { CliError } from './errors.ts';
import { println, red, dim } from './output.ts';

/** Exit codes scripts can rely on. */
export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  Unreachable: 3,
  Timeout: 4,
  Refused: 5,
} as const;

const EXIT_BY_CODE: Record<string, number> = {
  LAT_CONNECT: ExitCode.Unreachable,
  LAT_NO_RESPONDERS: ExitCode.Unreachable,
  LAT_TIMEOUT: ExitCode.Timeout,
  LAT_REFUSED: ExitCode.Refused,
  LAT_PERMISSION: ExitCode.Refused,
  CLI_USAGE: ExitCode.Usage,
  LAT_BAD_PAYLOAD: ExitCode.Usage,
};

let verbose = process.argv.includes('--verbose');

/** Turns on full error detail (`--verbose`). */
export function setVerbose(v: boolean): void {
  verbose = v;
}

/** Prints an error as one line with its code and a hint; the stack only with `--verbose`. Returns the exit code. */
export function reportError(err: unknown): number {
  const e = err as Error & { code?: string; hint?: string };
  const code = typeof e?.code === 'string' ? e.code : 'CLI_FAILED';
  const msg = String(e?.message ?? err).replace(/^\[[A-Z0-9_]+\] /, '');
  process.stderr.write(`${red('error')} [${code}] ${msg}\n`);
  const hint = e?.hint ?? (err instanceof CliError ? err.hint : undefined);
  if (hint) process.stderr.write(`${dim('hint:')} ${hint}\n`);
  if (verbose) {
    process.stderr.write(`${e?.stack ?? ''}\n`);
    if (e?.cause) process.stderr.write(`cause: ${String((e.cause as Error)?.stack ?? e.cause)}\n`);
  } else if (!hint) {
    process.stderr.write(`${dim('run again with --verbose for details')}\n`);
  }
  return EXIT_BY_CODE[code] ?? ExitCode.Failed;
}

/** Wraps a commander action: errors become one line + hint and a meaningful exit code. */
export function runCommand<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}

export { println };
