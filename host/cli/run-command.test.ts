import { afterEach, describe, expect, it, vi } from 'vitest';
import { LatticeError, LatticeErrorCode } from '../../lattice/index.ts';
import { CliError, CliErrorCode } from './errors.ts';
import { ExitCode, reportError, runCommand } from './run-command.ts';

let stderr: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  stderr = [];
  process.exitCode = undefined;
});
const captureStderr = () =>
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => stderr.push(String(s)) > 0);

describe('run command', () => {
  it('reportError - one line with the code (not repeated), the hint, and an exit code by code', () => {
    captureStderr();
    const e = new LatticeError(LatticeErrorCode.NoResponders, 'no host answered', { hint: 'start one' });
    expect(reportError(e)).toBe(ExitCode.Unreachable);
    expect(stderr.join('')).toMatch(/error \[LAT_NO_RESPONDERS\] no host answered\n.*hint:.* start one/);
    expect(stderr.join('')).not.toMatch(/\[LAT_NO_RESPONDERS\] \[LAT_NO_RESPONDERS\]/);
  });

  it('exit codes - timeout 4, refused 5, usage 2, anything else 1 (CLI_FAILED for a plain error)', () => {
    captureStderr();
    expect(reportError(new LatticeError(LatticeErrorCode.Timeout, 't'))).toBe(ExitCode.Timeout);
    expect(reportError(new LatticeError(LatticeErrorCode.Refused, 'r'))).toBe(ExitCode.Refused);
    expect(reportError(new CliError(CliErrorCode.Usage, 'u'))).toBe(ExitCode.Usage);
    expect(reportError(new Error('plain'))).toBe(ExitCode.Failed);
    expect(stderr.join('')).toContain('[CLI_FAILED] plain');
  });

  it('runCommand - a throwing action sets process.exitCode instead of throwing', async () => {
    captureStderr();
    await runCommand(() => {
      throw new CliError(CliErrorCode.Usage, 'bad');
    })();
    expect(process.exitCode).toBe(ExitCode.Usage);
    process.exitCode = undefined;
    await runCommand(async () => undefined)();
    expect(process.exitCode).toBeUndefined();
  });
});
