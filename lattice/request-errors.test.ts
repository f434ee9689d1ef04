import { errors } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { LatticeError, LatticeErrorCode } from './errors.ts';
import { toLatticeError } from './request-errors.ts';

describe('toLatticeError', () => {
  it('no responders - the typed error, or a RequestError caused by one', async () => {
    for (const err of [
      new errors.NoRespondersError('s'),
      new errors.RequestError('whatever', { cause: new errors.NoRespondersError('s') }),
    ]) {
      const e = await toLatticeError(err, 'wasmbus.x');
      expect(e.code).toBe('LAT_NO_RESPONDERS');
      expect(e.cause).toBe(err);
      expect(e.hint).toMatch(/weft up/);
    }
  });

  it('timeout - TimeoutError, alone or as the cause of a RequestError', async () => {
    expect((await toLatticeError(new errors.TimeoutError(), 's')).code).toBe('LAT_TIMEOUT');
    const wrapped = new errors.RequestError('x', { cause: new errors.TimeoutError() });
    expect((await toLatticeError(wrapped, 's')).code).toBe('LAT_TIMEOUT');
  });

  it('permission - names the operation and subject', async () => {
    const e = await toLatticeError(new errors.PermissionViolationError('denied', 'publish', 'wasmbus.ctl.x'), 's');
    expect(e.code).toBe('LAT_PERMISSION');
    expect(e.message).toContain('publish on wasmbus.ctl.x');
  });

  it('the message text does not decide: an Error saying "timeout" or "no responders" is LAT_CONNECT', async () => {
    for (const text of ['timeout', 'no responders available', '503'])
      expect((await toLatticeError(new Error(text), 's')).code, text).toBe('LAT_CONNECT');
    expect((await toLatticeError(new errors.ClosedConnectionError(), 's')).code).toBe('LAT_CONNECT');
    expect((await toLatticeError('a string', 's')).message).toContain('a string');
  });

  it('a LatticeError passes through unchanged', async () => {
    const e = new LatticeError(LatticeErrorCode.BadPayload, 'bad');
    expect(await toLatticeError(e, 's')).toBe(e);
  });
});
