import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, NatsPolicyClient } from '../../lattice/index.ts';
import type { PolicyComponentInfo, PolicyRequest, RunningNatsServer } from '../../lattice/index.ts';
import { NatsServer, check, latticeFor } from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

const host = { publicKey: 'NTEST', lattice: 'default', labels: {} };
const comp = (id: string): PolicyComponentInfo => ({
  componentId: id,
  imageRef: 'nats://a/b:1',
  maxInstances: 1,
  annotations: {},
});

describe('policy', () => {
  it('policy - permits and denies by the service answer, with the wasmCloud request shape', async () => {
    const topic = latticeFor('policy');
    const nc = await connectNats({ url: ns.url });
    const seen: PolicyRequest[] = [];
    nc.subscribe(topic, {
      callback: (_e, m) => {
        const req = m.json<PolicyRequest>();
        seen.push(req);
        const id = (req.request as PolicyComponentInfo).componentId;
        m.respond(
          JSON.stringify({
            requestId: req.requestId,
            permitted: id === 'good',
            message: id === 'good' ? '' : 'not on the list',
          }),
        );
      },
    });
    const pc = new NatsPolicyClient(nc, { topic, host });
    expect(await pc.evaluate('startComponent', comp('good'), 'good')).toMatchObject({ permitted: true });
    const denied = await pc.evaluate('startComponent', comp('bad'), 'bad');
    expect(denied).toMatchObject({ permitted: false, message: 'not on the list' });
    expect(seen[0]).toMatchObject({ kind: 'startComponent', version: 'v1', host, request: { componentId: 'good' } });
    expect(typeof seen[0]?.requestId).toBe('string');
    // cached: no new request
    await pc.evaluate('startComponent', comp('good'), 'good');
    expect(seen).toHaveLength(2);
    pc.close();
    await nc.close();
  });

  it('policy - a timeout or a malformed answer means deny', async () => {
    const topic = latticeFor('policy_to');
    const nc = await connectNats({ url: ns.url });
    nc.subscribe(topic, { callback: () => undefined }); // never answers
    const pc = new NatsPolicyClient(nc, { topic, host, timeoutMs: 200 });
    const d = await pc.evaluate('performInvocation', { interface: 'a:b/c', function: 'f', target: comp('x') }, 'x');
    expect(d.permitted).toBe(false);
    expect(d.message).toMatch(/denied/);
    const topic2 = latticeFor('policy_bad');
    nc.subscribe(topic2, {
      callback: (_e, m) => {
        m.respond('{"nope":1}');
      },
    });
    const pc2 = new NatsPolicyClient(nc, { topic: topic2, host });
    expect((await pc2.evaluate('startComponent', comp('x'), 'x')).permitted).toBe(false);
    pc.close();
    pc2.close();
    await nc.close();
  });

  it('policy - a change notification overrides the cached decision', async () => {
    const topic = latticeFor('policy_ch');
    const changes = `${topic}.changes`;
    const nc = await connectNats({ url: ns.url });
    nc.subscribe(topic, {
      callback: (_e, m) => {
        m.respond(JSON.stringify({ requestId: m.json<PolicyRequest>().requestId, permitted: true }));
      },
    });
    const pc = new NatsPolicyClient(nc, { topic, changesTopic: changes, host });
    const first = await pc.evaluate('startComponent', comp('c'), 'c');
    expect(first.permitted).toBe(true);
    await nc.flush();
    nc.publish(changes, JSON.stringify({ requestId: first.requestId, permitted: false, message: 'revoked' }));
    await check(async () => !(await pc.evaluate('startComponent', comp('c'), 'c')).permitted);
    pc.close();
    await nc.close();
  });
});
