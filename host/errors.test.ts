import { describe, expect, it } from 'vitest';
import { RemoteErrorCode } from '../lattice/index.ts';
import { HostError, HostErrorCode } from './errors.ts';
import { ComponentErrorCode } from './runtime/errors.ts';

describe('host error codes', () => {
  it('HostError - code and a message starting with it', () => {
    const e = new HostError(HostErrorCode.NotFound, 'no such thing');
    expect(e).toMatchObject({ name: 'HostError', code: 'HOST_NOT_FOUND', message: '[HOST_NOT_FOUND] no such thing' });
  });

  it('every host and component code a remote layer matches (lattice RemoteErrorCode) is in its owner enum', () => {
    const owned = new Set<string>([...Object.values(HostErrorCode), ...Object.values(ComponentErrorCode)]);
    const remote = Object.values(RemoteErrorCode).filter((c) => /^(HOST|COMP)_/.test(c));
    expect(remote.length).toBeGreaterThan(5);
    for (const c of remote) expect(owned.has(c), c).toBe(true);
  });

  it('every host code is HOST_ and unique', () => {
    const v = Object.values(HostErrorCode);
    for (const c of v) expect(c).toMatch(/^HOST_[A-Z_]+$/);
    expect(new Set(v).size).toBe(v.length);
  });
});
