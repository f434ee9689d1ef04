import { describe, expect, it } from 'vitest';
import { PROGRESS_MIN_BYTES, transferProgress } from './transfer-progress.ts';

const MiB = 1024 * 1024;
const tty = () => {
  const lines: string[] = [];
  return { lines, out: { isTTY: true, write: (s: string) => lines.push(s) > 0 } };
};

describe('transferProgress', () => {
  it('writes bytes/total in place on a TTY, at most every 100 ms, and always the last step with a newline', () => {
    const { lines, out } = tty();
    let t = 0;
    const p = transferProgress('layer', false, out, () => t)!;
    p(1 * MiB, 4 * MiB); // first: shown
    t = 50;
    p(2 * MiB, 4 * MiB); // too soon: skipped
    t = 200;
    p(3 * MiB, 4 * MiB);
    t = 210;
    p(4 * MiB, 4 * MiB); // the end: shown however soon
    expect(lines).toEqual([
      '\r  layer 1.0/4.0 MiB (25%)',
      '\r  layer 3.0/4.0 MiB (75%)',
      '\r  layer 4.0/4.0 MiB (100%)\n',
    ]);
  });

  it('is quiet with -o json, on a pipe, and for small artifacts', () => {
    const { lines, out } = tty();
    expect(transferProgress('layer', true, out)).toBeUndefined();
    expect(transferProgress('layer', false, { write: () => true })).toBeUndefined();
    transferProgress('layer', false, out)!(PROGRESS_MIN_BYTES - 1, PROGRESS_MIN_BYTES - 1);
    expect(lines).toEqual([]);
  });
});
