import { describe, expect, it } from 'vitest';
import type { PolicyDecision, PolicyKind } from '../../lattice/index.ts';
import { authorizeInvocation } from './invocation-policy.ts';
import type { PolicyPort } from './policy.ts';

const target = { componentId: 'adder', imageRef: 'file:///adder.wasm', maxInstances: 2, annotations: { a: 'b' } };

function recording(d: Partial<PolicyDecision>): PolicyPort & { asked: [PolicyKind, unknown, string][] } {
  const asked: [PolicyKind, unknown, string][] = [];
  return {
    asked,
    evaluate: (kind, req, key) => {
      asked.push([kind, req, key]);
      return Promise.resolve({ permitted: true, message: '', requestId: 'r', ...d });
    },
  };
}

describe('authorizeInvocation', () => {
  it('asks performInvocation with the interface and function split at the last dot, cached per component and operation', async () => {
    const p = recording({});
    await authorizeInvocation(p, target, 'docs:adder/add@0.1.0.add');
    expect(p.asked).toEqual([
      [
        'performInvocation',
        { interface: 'docs:adder/add@0.1.0', function: 'add', target },
        'adder|docs:adder/add@0.1.0.add',
      ],
    ]);
  });

  it('a root function has an empty interface; without a policy service every call is permitted', async () => {
    const p = recording({});
    await authorizeInvocation(p, target, 'run');
    expect(p.asked[0]?.[1]).toEqual({ interface: '', function: 'run', target });
    await expect(authorizeInvocation(undefined, target, 'run')).resolves.toBeUndefined();
  });

  it('a denial is HOST_REFUSED in the one message shape of requirePermitted, naming the call and the reason', async () => {
    await expect(
      authorizeInvocation(recording({ permitted: false, message: 'quota' }), target, 'docs:adder/add.add'),
    ).rejects.toMatchObject({
      code: 'HOST_REFUSED',
      message: '[HOST_REFUSED] policy service denied calling docs:adder/add.add on adder: quota',
    });
  });
});
