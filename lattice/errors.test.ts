import { describe, expect, it } from 'vitest';
import {
  errorCodeOf,
  isBusy,
  isGuestFault,
  isLinkNotFound,
  isNoResponders,
  isRefused,
  isTimeout,
  isTooLarge,
  LatticeError,
  LatticeErrorCode,
  RemoteErrorCode,
} from './errors.ts';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('error kinds', () => {
  it('LatticeError - code, greppable message, hint and cause', () => {
    const cause = new Error('inner');
    const e = new LatticeError(LatticeErrorCode.Timeout, 'slow', { cause, hint: 'retry' });
    expect(e).toMatchObject({ code: 'LAT_TIMEOUT', message: '[LAT_TIMEOUT] slow', hint: 'retry', cause });
  });

  it('errorCodeOf - a string code of any error or object, else undefined', () => {
    expect(errorCodeOf(coded('X_Y'))).toBe('X_Y');
    expect(errorCodeOf({ code: 'A_B' })).toBe('A_B');
    expect(errorCodeOf({ code: 7 })).toBeUndefined();
    expect(errorCodeOf('COMP_TIMEOUT')).toBeUndefined();
    expect(errorCodeOf(null)).toBeUndefined();
  });

  it('isTimeout - the lattice, guest and http-server deadlines', () => {
    for (const c of ['LAT_TIMEOUT', 'COMP_TIMEOUT', 'HTTP_TIMEOUT']) expect(isTimeout(coded(c)), c).toBe(true);
    expect(isTimeout(coded('COMP_TRAP'))).toBe(false);
    expect(isTimeout(new Error('timeout'))).toBe(false);
  });

  it('isGuestFault - trap, execution and memory limits, a lost worker; not busy or bad arguments', () => {
    for (const c of ['COMP_TRAP', 'COMP_TIMEOUT', 'COMP_MEMORY_LIMIT', 'COMP_WORKER_LOST'])
      expect(isGuestFault(coded(c)), c).toBe(true);
    for (const c of ['COMP_BUSY', 'COMP_BAD_ARGUMENTS', 'LAT_TIMEOUT']) expect(isGuestFault(coded(c)), c).toBe(false);
  });

  it('the other kinds match their codes only', () => {
    expect(isNoResponders(coded('LAT_NO_RESPONDERS'))).toBe(true);
    expect(isNoResponders(coded('LAT_TIMEOUT'))).toBe(false);
    expect(isBusy(coded('COMP_BUSY'))).toBe(true);
    expect(isTooLarge(coded('HOST_BODY_TOO_LARGE'))).toBe(true);
    expect(isTooLarge(coded('HOST_REPLY_TOO_LARGE'))).toBe(true);
    expect(isLinkNotFound(coded('HOST_LINK_NOT_FOUND'))).toBe(true);
    expect(isRefused(coded('LAT_REFUSED'))).toBe(true);
    expect(isRefused(coded('HOST_REFUSED'))).toBe(false);
  });

  it('RemoteErrorCode - every value is an upper-case LAYER_NAME code, none twice', () => {
    const values = Object.values(RemoteErrorCode);
    for (const v of values) expect(v).toMatch(/^[A-Z]+_[A-Z_]+$/);
    expect(new Set(values).size).toBe(values.length);
  });
});
