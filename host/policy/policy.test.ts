import { describe, expect, it } from 'vitest';
import type { PolicyKind } from '../../lattice/index.ts';
import { allowAll, requirePermitted } from './policy.ts';
import type { PolicyPort } from './policy.ts';

const request = { providerId: 'p', imageRef: 'weft+builtin://http-server', annotations: {} };

function recording(permitted: boolean, message = ''): PolicyPort & { asked: [PolicyKind, string][] } {
  const asked: [PolicyKind, string][] = [];
  return {
    asked,
    evaluate: (kind, _req, key) => {
      asked.push([kind, key]);
      return Promise.resolve({ permitted, message, requestId: 'r' });
    },
  };
}

describe('host policy', () => {
  it('allowAll - permits everything', async () => {
    expect(await allowAll.evaluate('startComponent', request, 'k')).toMatchObject({ permitted: true });
  });

  it('requirePermitted - no policy service: allowed; a permitting one is asked with the kind and cache key', async () => {
    await expect(requirePermitted(undefined, 'startProvider', request, 'k', 'starting p')).resolves.toBeUndefined();
    const p = recording(true);
    await requirePermitted(p, 'startProvider', request, 'p|ref', 'starting p');
    expect(p.asked).toEqual([['startProvider', 'p|ref']]);
  });

  it('requirePermitted - a denial is HOST_REFUSED naming what and why (or that no reason was given)', async () => {
    await expect(
      requirePermitted(recording(false, 'not on fridays'), 'startProvider', request, 'k', 'starting p'),
    ).rejects.toMatchObject({
      code: 'HOST_REFUSED',
      message: '[HOST_REFUSED] policy service denied starting p: not on fridays',
    });
    await expect(requirePermitted(recording(false), 'performInvocation', request, 'k', 'calling f')).rejects.toThrow(
      /denied calling f: no reason given/,
    );
  });

  it('requirePermitted - a failing policy port propagates its error', async () => {
    const broken: PolicyPort = { evaluate: () => Promise.reject(new Error('down')) };
    await expect(requirePermitted(broken, 'startComponent', request, 'k', 'x')).rejects.toThrow('down');
  });
});
