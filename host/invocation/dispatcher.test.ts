import { describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Link } from '../../lattice/index.ts';
import { Dispatcher } from './dispatcher.ts';

const link = { source_id: 'caller', target: 'x', name: 'default' } as unknown as Link;

function setup(local: string[], providerAnswers: boolean) {
  const calls: string[] = [];
  const nc = { info: { max_payload: 1024 * 1024 } } as unknown as NatsConnection;
  const d = new Dispatcher({
    lattice: 'lat',
    nc,
    components: () => ({
      has: (id) => local.includes(id),
      invoke: async (id, op, args, tp, http) => {
        calls.push(`component ${id} ${op} ${JSON.stringify(args)} ${tp ?? ''} ${http?.httpBody ? 'body' : ''}`);
        return 'c';
      },
    }),
    providers: () => ({
      handleImport: (target, source, _l, iface, func) => {
        if (!providerAnswers) return undefined;
        calls.push(`provider ${target} ${source} ${iface}.${func}`);
        return Promise.resolve('p');
      },
    }),
  });
  return { d, calls };
}

describe('Dispatcher', () => {
  it('dispatch - a provider call on a component of this host stays here, with its trace and streamed body', async () => {
    const { d, calls } = setup(['here'], false);
    async function* body(): AsyncIterable<Uint8Array> {
      yield new Uint8Array([1]);
    }
    expect(await d.invoke('here', 'a:b/c.d', [1], { traceparent: 'tp', httpBody: body() })).toBe('c');
    expect(calls).toEqual(['component here a:b/c.d [1] tp body']);
  });

  it('dispatch - a provider call on a component elsewhere goes to the lattice (a body past max_payload is refused before)', async () => {
    const { d, calls } = setup([], false);
    async function* big(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(2 * 1024 * 1024);
    }
    await expect(d.invoke('away', 'a:b/c.d', [{}], { httpBody: big() })).rejects.toMatchObject({
      code: 'HOST_BODY_TOO_LARGE',
    });
    expect(calls).toEqual([]);
  });

  it('dispatch - a guest import goes to a local component first, then an in-host provider, else undefined (lattice)', async () => {
    const { d, calls } = setup(['comp'], true);
    const c = { sourceId: 'caller', link, iface: 'a:b/c', func: 'f', args: [2] };
    expect(await d.invokeLocal('comp', c)).toBe('c');
    expect(await d.invokeLocal('prov', c)).toBe('p');
    expect(calls).toEqual(['component comp a:b/c.f [2]  ', 'provider prov caller a:b/c.f']);
    expect(setup([], false).d.invokeLocal('nowhere', c)).toBeUndefined();
  });
});
