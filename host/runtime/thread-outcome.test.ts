import { describe, expect, it } from 'vitest';
import { ComponentError, ComponentErrorCode } from './errors.ts';
import { classify } from './guest-errors.ts';
import { guestResultErr, isWitErrorOutcome, witErrorOutcome } from './thread-outcome.ts';

/** jco's own reading of an import's rejection (its transpiled `getErrorPayload`). */
function jcoErrorPayload(e: unknown): unknown {
  if (e && Object.prototype.hasOwnProperty.call(e, 'payload')) return (e as { payload: unknown }).payload;
  if (e instanceof Error) throw e;
  return e;
}

describe('outcomes across the guest-worker boundary (thread-outcome.ts)', () => {
  it('a WIT error value is a failure coded WIT_ERROR carrying the value; other failures are not', () => {
    const o = witErrorOutcome({ tag: 'no-such-store' }, 'described');
    expect(o).toEqual({ ok: false, code: 'WIT_ERROR', message: 'described', value: { tag: 'no-such-store' } });
    expect(isWitErrorOutcome(o)).toBe(true);
    expect(isWitErrorOutcome({ ok: false, code: 'COMP_TRAP' })).toBe(false);
    expect(isWitErrorOutcome({ ok: true, code: 'WIT_ERROR' })).toBe(false);
    // structured clone (postMessage) keeps the value's types
    expect(structuredClone(witErrorOutcome({ n: 2n ** 64n, b: new Uint8Array([1]) }, ''))).toMatchObject({
      value: { n: 2n ** 64n, b: new Uint8Array([1]) },
    });
  });

  it("the guest gets the value as its result's err the way jco reads it (an own `payload`), undefined and falsy included", () => {
    for (const v of [{ tag: 'other', val: 'x' }, 'text', 0, undefined, null])
      expect(jcoErrorPayload(guestResultErr(v))).toEqual(v);
    expect(() => jcoErrorPayload(new Error('a failed import is no err value'))).toThrow();
  });

  it("classify - an export's returned err becomes a WIT error outcome with its value JSON-mapped; coded errors keep code and text", () => {
    const err = Object.assign(new Error('ComponentError'), {
      payload: { tag: 'other', val: 7n, b: new Uint8Array([3]) },
    });
    expect(classify(err)).toEqual({
      code: 'WIT_ERROR',
      message: 'the export returned an error value: {"tag":"other","val":7,"b":[3]}',
      value: { tag: 'other', val: 7, b: [3] },
    });
    expect(classify(Object.assign(new Error('x'), { payload: undefined }))).toMatchObject({
      code: 'WIT_ERROR',
      value: null,
    });
    // no doubled `[code]` prefix when the main thread builds its ComponentError again
    expect(classify(new ComponentError(ComponentErrorCode.BadArguments, 'f takes 1 argument'))).toEqual({
      code: 'COMP_BAD_ARGUMENTS',
      message: 'f takes 1 argument',
    });
    expect(classify(new WebAssembly.RuntimeError('unreachable'))).toMatchObject({ code: 'COMP_TRAP' });
    expect(classify(new TypeError('x: expected a string, got 1'))).toMatchObject({ code: 'COMP_BAD_ARGUMENTS' });
    expect(classify('thrown text')).toEqual({ code: 'COMP_TRAP', message: 'thrown text' });
    const long = classify(Object.assign(new Error(''), { payload: 'z'.repeat(10_000) }));
    expect(long.message.length).toBeLessThan(600);
    expect(long.value).toHaveLength(10_000);
  });
});
