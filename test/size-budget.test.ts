import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The house size budget: every source and test file at most this many lines after Prettier. */
const MAX_LINES = 300;
/** Generated or vendored: not written by hand, so not held to the budget. */
const EXEMPT = /^(wit\/gen|wit\/deps|node_modules)\//;

describe('size budget', () => {
  it(`every .ts/.js file in git has at most ${MAX_LINES} lines (formatted)`, () => {
    const root = new URL('..', import.meta.url);
    const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !EXEMPT.test(f) && existsSync(new URL(f, root)));
    expect(files.length).toBeGreaterThan(100);
    const over = files
      .map((f) => ({ f, n: readFileSync(new URL(f, root), 'utf8').split('\n').length - 1 }))
      .filter(({ n }) => n > MAX_LINES)
      .map(({ f, n }) => `${f}: ${n} lines`);
    expect(over, 'split these files by concern (STYLE: one concern per file)').toEqual([]);
  });
});
