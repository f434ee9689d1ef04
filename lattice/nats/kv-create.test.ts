import { describe, expect, it } from 'vitest';
import type { KV, Kvm } from '@nats-io/kv';
import { createKvRetrying, isTransientJsError } from './kv-create.ts';

/** A Kvm whose create answers from a script of errors, then succeeds. */
function scripted(errors: string[]): { kvm: Kvm; calls: () => number } {
  let n = 0;
  const kvm = {
    create: () => {
      const e = errors[n++];
      return e ? Promise.reject(new Error(e)) : Promise.resolve({ bucket: 'b' } as unknown as KV);
    },
  } as unknown as Kvm;
  return { kvm, calls: () => n };
}

describe('createKvRetrying', () => {
  it('retries a timeout and a leader election, then returns the bucket', async () => {
    const { kvm, calls } = scripted(['TimeoutError: timeout', 'no suitable peers for placement']);
    await expect(createKvRetrying(kvm, 'b', {}, 5_000)).resolves.toMatchObject({ bucket: 'b' });
    expect(calls()).toBe(3);
  });
  it('throws any other error at once', async () => {
    const { kvm, calls } = scripted(['jetstream not enabled']);
    await expect(createKvRetrying(kvm, 'b', {}, 5_000)).rejects.toThrow(/jetstream not enabled/);
    expect(calls()).toBe(1);
  });
  it('gives up with the last transient error once the deadline has passed', async () => {
    const { kvm, calls } = scripted(['timeout', 'timeout', 'timeout']);
    await expect(createKvRetrying(kvm, 'b', {}, 0)).rejects.toThrow(/timeout/);
    expect(calls()).toBe(1);
  });
  it('tells transient answers from others', () => {
    expect(isTransientJsError(new Error('insufficient resources'))).toBe(true);
    expect(isTransientJsError(new Error('stream name already in use'))).toBe(false);
    expect(isTransientJsError(undefined)).toBe(false);
  });
});
