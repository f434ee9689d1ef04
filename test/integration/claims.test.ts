import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRequest, RunningNatsServer } from '../../lattice/index.ts';
import { generateKey, signComponent } from '../../lattice/wascap/index.ts';
import {
  EventRecorder,
  NatsServer,
  assertScaleComponent,
  fixture,
  latticeFor,
  scaleAndWait,
  startTestHost,
  testCtl,
  rawNatsOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let dir: string;
const issuer = generateKey('account');
const subject = generateKey('component');
const refs: Record<string, string> = {};
beforeAll(async () => {
  ns = await NatsServer.start();
  dir = await mkdtemp(join(tmpdir(), 'weft-claims-'));
  const adder = new Uint8Array(await readFile(fixture('adder.component.wasm')));
  const variants: Record<string, Uint8Array> = {
    signed: signComponent(adder, { issuer, subject, name: 'adder', caps: ['docs:adder'] }).bytes,
    unsigned: adder,
    expired: signComponent(adder, { issuer, subject, expiresInDays: 1, now: 1_000_000 }).bytes,
    future: signComponent(adder, { issuer, subject, notBeforeDays: 3 }).bytes,
    other: signComponent(adder, { issuer: generateKey('account'), subject }).bytes,
  };
  const tampered = variants['signed']!.slice();
  tampered[100] = (tampered[100] ?? 0) ^ 0x01;
  variants['tampered'] = tampered;
  for (const [k, v] of Object.entries(variants)) {
    await writeFile(join(dir, `${k}.wasm`), v);
    refs[k] = `file://${join(dir, `${k}.wasm`)}`;
  }
});
afterAll(async () => {
  await ns?.stop();
});

describe('claims enforcement', () => {
  it('claims - a signed adder runs on a default host, unsigned and bad claims are refused with their reason', async () => {
    const lattice = latticeFor('claims');
    const host = await startTestHost(ns.url, {
      lattice,
      allowUnsigned: false,
      allowedIssuers: [issuer.getPublicKey()],
    });
    await using ctl = await testCtl(ns.url, lattice);
    const ok = await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['signed']!,
      component_id: 'adder',
      count: 1,
    });
    expect(ok.data).toMatchObject({
      public_key: subject.getPublicKey(),
      claims: { name: 'adder', issuer: issuer.getPublicKey() },
    });
    expect(await ctl.invoke('adder', 'docs:adder/add.add', [2, 3])).toBe(5);
    const stored = await ctl.getClaims();
    expect(stored).toContainEqual(
      expect.objectContaining({ subject: subject.getPublicKey(), issuer: issuer.getPublicKey(), name: 'adder' }),
    );
    const cases: [string, RegExp][] = [
      ['unsigned', /CLAIMS_NOT_SIGNED.*--allow-unsigned/],
      ['expired', /CLAIMS_EXPIRED/],
      ['future', /CLAIMS_NOT_YET_VALID/],
      ['tampered', /CLAIMS_HASH_MISMATCH/],
      ['other', /CLAIMS_ISSUER_NOT_ALLOWED/],
    ];
    for (const [k, why] of cases) {
      const e = await scaleAndWait(ctl, {
        host_id: host.id,
        component_ref: refs[k]!,
        component_id: `c-${k}`,
        count: 1,
      });
      expect(e.type, k).toMatch(/component_scale_failed$/);
      expect(String(e.data['error'])).toMatch(why);
    }
    expect((await ctl.getHostInventory(host.id)).components.map((c) => c.id)).toEqual(['adder']);
    await host.stop();
  });

  it('claims - --allow-unsigned runs the unsigned adder', async () => {
    const lattice = latticeFor('unsigned');
    const host = await startTestHost(ns.url, { lattice, allowUnsigned: true });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['unsigned']!,
      component_id: 'adder',
      count: 1,
    });
    expect(await ctl.invoke('adder', 'docs:adder/add.add', [1, 1])).toBe(2);
    await host.stop();
  });

  it('claims - caps: a component whose caps lack wasi:keyvalue cannot be linked to a key-value provider', async () => {
    const lattice = latticeFor('caps');
    const host = await startTestHost(ns.url, { lattice, allowUnsigned: false });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['signed']!,
      component_id: 'adder',
      count: 1,
    });
    const err = await ctl
      .putLink({
        source_id: 'adder',
        target: 'kv',
        name: 'default',
        wit_namespace: 'wasi',
        wit_package: 'keyvalue',
        interfaces: ['store'],
        source_config: [],
        target_config: [],
      })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(String(err)).toMatch(/may not use wasi:keyvalue.*--cap wasi:keyvalue/);
    await host.stop();
  });

  it('policy - a host asks the policy service before starting a component; deny and timeout refuse it', async () => {
    const lattice = latticeFor('policy_host');
    const topic = `${lattice}.policy`;
    await using ctl = await testCtl(ns.url, lattice);
    rawNatsOf(ctl).subscribe(topic, {
      callback: (_e, m) => {
        const req = m.json<PolicyRequest>();
        const id = (req.request as { componentId: string }).componentId;
        if (id === 'slow') return; // never answers: timeout = deny
        if (req.kind === 'performInvocation') {
          const { function: fn, target } = req.request as { function: string; target: { componentId: string } };
          m.respond(
            JSON.stringify({
              requestId: req.requestId,
              permitted: fn === 'add' && target.componentId !== 'guarded',
              message: 'guarded may not be called',
            }),
          );
          return;
        }
        if (req.kind === 'startProvider') {
          m.respond(JSON.stringify({ requestId: req.requestId, permitted: false, message: 'no providers here' }));
          return;
        }
        m.respond(
          JSON.stringify({
            requestId: req.requestId,
            permitted: id === 'adder' || id === 'guarded',
            message: 'only adder may run',
          }),
        );
      },
    });
    await ctl.flush();
    const host = await startTestHost(ns.url, { lattice, allowUnsigned: false, policy: { topic, timeoutMs: 300 } });
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['signed']!,
      component_id: 'adder',
      count: 1,
    });
    const denied = await scaleAndWait(ctl, {
      host_id: host.id,
      component_ref: refs['signed']!,
      component_id: 'other',
      count: 1,
    });
    expect(String(denied.data['error'])).toMatch(/policy service denied.*only adder may run/);
    const slow = await scaleAndWait(ctl, {
      host_id: host.id,
      component_ref: refs['signed']!,
      component_id: 'slow',
      count: 1,
    });
    expect(String(slow.data['error'])).toMatch(/did not answer.*denied/);
    // performInvocation: the call is checked (and the decision cached)
    expect(await ctl.invoke('adder', 'docs:adder/add.add', [1, 2])).toBe(3);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['signed']!,
      component_id: 'guarded',
      count: 1,
    });
    await expect(ctl.invoke('guarded', 'docs:adder/add.add', [1, 2])).rejects.toMatchObject({
      code: 'HOST_REFUSED',
    });
    // an operation the component does not export is refused before the policy service is asked
    await expect(ctl.invoke('adder', 'docs:adder/add.sub', [1, 2])).rejects.toMatchObject({
      code: 'COMP_NO_SUCH_EXPORT',
    });
    // startProvider
    const rec = await EventRecorder.start(ctl);
    await ctl.startProvider({
      host_id: host.id,
      provider_id: 'kv',
      provider_ref: 'weft+builtin://keyvalue-nats',
      config: [],
    });
    const failed = await rec.waitFor('provider_start_failed');
    expect(String(failed.data['error'])).toMatch(/policy service denied starting provider kv: no providers here/);
    rec.stop();
    await host.stop();
  });
});
