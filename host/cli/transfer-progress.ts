/**
 * Progress of `weft push`/`weft pull` for large artifacts: `layer 12.0/48.5 MiB (24%)` rewritten in place on a
 * terminal's stderr, at most every 100 ms and at the end. Nothing on a pipe, with `-o json`, or for small artifacts.
 */
import type { ByteProgress } from '../../lattice/oci/index.ts';

/** Artifacts smaller than this finish too fast for progress to be worth a line. */
export const PROGRESS_MIN_BYTES = 1024 * 1024;

const mib = (n: number): string => (n / (1024 * 1024)).toFixed(1);

/** A progress callback writing to `out` (stderr), or `undefined` when `out` is not a TTY or the output is JSON. */
export function transferProgress(
  verb: string,
  json: boolean,
  out: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean } = process.stderr,
  now: () => number = Date.now,
): ByteProgress | undefined {
  if (json || !out.isTTY) return undefined;
  let last = -Infinity;
  return (done, total) => {
    if (total < PROGRESS_MIN_BYTES) return;
    const end = done >= total;
    if (!end && now() - last < 100) return;
    last = now();
    const pct = total ? Math.floor((done / total) * 100) : 100;
    out.write(`\r  ${verb} ${mib(done)}/${mib(total)} MiB (${pct}%)${end ? '\n' : ''}`);
  };
}
