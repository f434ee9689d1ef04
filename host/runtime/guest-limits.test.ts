import { describe, expect, it } from 'vitest';
import { admitShared, GuestBudget, releaseBudgetHolder } from './guest-budget.ts';
import { GuestLogLimiter, sanitizeLogLine } from './guest-log-limit.ts';
import { check } from '../../test/helpers/wait.ts';

describe('guest budget', () => {
  it('budget - calls past maxCalls get COMP_BUSY at once; ending one lets the next in', () => {
    const b = new GuestBudget({ maxCalls: 2, maxMemoryBytes: Infinity, measure: () => Promise.resolve(0) });
    const a = b.admit('x');
    b.admit('x');
    expect(() => b.admit('y')).toThrow(expect.objectContaining({ code: 'COMP_BUSY' }));
    a();
    a(); // idempotent
    expect(b.usage.calls).toBe(1);
    expect(() => b.admit('y')).not.toThrow();
  });

  it("budget - a replaced worker's admitted calls are given back; the other threads' stay", () => {
    const b = new GuestBudget({ maxCalls: 3, maxMemoryBytes: Infinity, measure: () => Promise.resolve(0) });
    const view = new Int32Array(b.sab); // what each guest worker admits against
    admitShared(view, 'x', 3);
    admitShared(view, 'x', 3); // worker 3 holds two calls when it is replaced: their ends never come
    const other = admitShared(view, 'x', 5);
    expect(() => b.admit('y')).toThrow(expect.objectContaining({ code: 'COMP_BUSY' }));
    releaseBudgetHolder(b.sab, 3);
    expect(b.usage.calls).toBe(1);
    releaseBudgetHolder(b.sab, 3); // nothing more to give back
    releaseBudgetHolder(b.sab, 0); // the main thread never ends this way
    expect(b.usage.calls).toBe(1);
    other();
    expect(b.usage.calls).toBe(0);
    const [e1, e2, e3] = [b.admit('y'), b.admit('y'), b.admit('y')]; // the whole cap again
    for (const e of [e1, e2, e3]) e();
  });

  it('budget - takePeak reports the most calls admitted at once since the last read, then the calls admitted now', () => {
    const b = new GuestBudget({ maxCalls: 5, maxMemoryBytes: Infinity, measure: () => Promise.resolve(0) });
    const [e0, e1, e2] = [b.admit('x'), b.admit('x'), b.admit('x')];
    e0();
    e1();
    expect(b.usage.calls).toBe(1);
    expect(b.takePeak()).toBe(3); // the burst, although only one call runs at the instant of reading
    expect(b.takePeak()).toBe(1);
    e2();
    expect(b.takePeak()).toBe(1); // the call that ran since the last read
    expect(b.takePeak()).toBe(0);
  });

  it('budget - once measured memory reaches the budget calls are refused until a measurement shows it freed', async () => {
    let bytes = 10;
    const b = new GuestBudget({
      maxCalls: 100,
      maxMemoryBytes: 8,
      measure: () => Promise.resolve(bytes),
      refreshMs: 1,
    });
    b.admit('x')(); // the end of a call measures
    await check(() => b.usage.memoryBytes === 10);
    expect(() => b.admit('x')).toThrow(
      expect.objectContaining({ code: 'COMP_BUSY', message: expect.stringContaining('--max-guest-memory-bytes') }),
    );
    bytes = 2;
    // a refused call asks for a new measurement
    await check(() => {
      try {
        b.admit('x')();
        return true;
      } catch {
        return false;
      }
    });
  });
});

describe('guest log limits', () => {
  it('log limit - a burst, then the rate; the next line after drops reports how many', () => {
    let t = 0;
    const l = new GuestLogLimiter({ linesPerSecond: 10, burst: 3, now: () => t });
    expect([l.take('c'), l.take('c'), l.take('c'), l.take('c'), l.take('c')]).toEqual([0, 0, 0, false, false]);
    expect(l.take('other')).toBe(0);
    t = 100; // one token back
    expect(l.take('c')).toBe(2);
    expect(l.take('c')).toBe(false);
  });

  it('log limit - control characters are stripped and long lines cut', () => {
    expect(sanitizeLogLine('\u001b[2Jhi\u0007\u009b\tthere\r\n')).toBe('[2Jhi\tthere');
    const cut = sanitizeLogLine('a'.repeat(5000), 4096);
    expect(cut.startsWith('a'.repeat(4096))).toBe(true);
    expect(cut).toContain('904 more characters cut');
  });
});
