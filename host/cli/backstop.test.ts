import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BACKSTOP = fileURLToPath(new URL('./backstop.ts', import.meta.url));
/** Runs a script in a fresh Node process (its own unhandled-rejection handling), returns its exit code and output. */
const run = (script: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, WEFT_LOG_FORMAT: 'json' },
    timeout: 20_000,
  });

describe('installBackstop', () => {
  it('an unhandled rejection is logged and the process goes on; without it Node exits', () => {
    const script = (install: boolean) => `
      ${install ? `const { installBackstop } = await import(${JSON.stringify(BACKSTOP)}); installBackstop();` : ''}
      Promise.reject(new Error('boom from nowhere'));
      setTimeout(() => { process.stdout.write('still serving'); }, 200);`;
    const withIt = run(script(true));
    expect(withIt.status).toBe(0);
    expect(withIt.stdout).toBe('still serving');
    expect(withIt.stderr).toMatch(/unexpected rejection/);
    expect(withIt.stderr).toMatch(/boom from nowhere/);
    const without = run(script(false));
    expect(without.status).not.toBe(0);
    expect(without.stdout).toBe('');
  });
});
