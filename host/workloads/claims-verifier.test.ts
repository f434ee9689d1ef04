import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryClaimsStore } from '../../lattice/index.ts';
import { generateKey, signComponent } from '../../lattice/wascap/index.ts';
import { ClaimsVerifier } from './claims-verifier.ts';

const adder = new Uint8Array(
  readFileSync(new URL('../../test/fixtures/components/adder.component.wasm', import.meta.url)),
);
const ctx = { componentId: 'adder', imageRef: 'file:///adder.wasm', maxInstances: 1, annotations: {} };
const warnings: string[] = [];
const logger = { warn: (_o: unknown, m: string) => void warnings.push(m) } as never;

describe('claims verifier', () => {
  it('claims store - a second issuer signing the same subject does not overwrite the stored claims, and is logged', async () => {
    const claims = new MemoryClaimsStore();
    const v = new ClaimsVerifier({ allowUnsigned: false, allowedIssuers: [], claims, logger });
    const subject = generateKey('component');
    const first = generateKey('account');
    await v.verify(signComponent(adder, { issuer: first, subject, name: 'real' }).bytes, ctx);
    await v.verify(signComponent(adder, { issuer: first, subject, name: 'real v2' }).bytes, ctx); // same issuer: updated
    const forged = await v.verify(
      signComponent(adder, { issuer: generateKey('account'), subject, name: 'forged' }).bytes,
      ctx,
    );
    expect(forged.issuer).not.toBe(first.getPublicKey()); // it runs (no --allowed-issuers) under its own claims
    expect(await claims.get(subject.getPublicKey())).toMatchObject({ issuer: first.getPublicKey(), name: 'real v2' });
    expect(warnings.join('\n')).toMatch(/stored claims of M\w+ were issued by A\w+, not A\w+: not overwritten/);
  });

  it('require caps - signed components without a caps claim and unsigned ones are refused; [] and listed caps pass', async () => {
    const v = new ClaimsVerifier({ allowUnsigned: true, allowedIssuers: [], requireCaps: true });
    const o = { issuer: generateKey('account'), subject: generateKey('component') };
    await expect(v.verify(signComponent(adder, o).bytes, ctx)).rejects.toMatchObject({ code: 'CLAIMS_NO_CAPS' });
    await expect(v.verify(adder, ctx)).rejects.toMatchObject({ code: 'CLAIMS_NO_CAPS' });
    expect((await v.verify(signComponent(adder, { ...o, caps: [] }).bytes, ctx)).caps).toEqual([]);
    expect(
      (await v.verify(signComponent(adder, { ...o, caps: ['docs:adder'], expiresInDays: 1 }).bytes, ctx)).expiresAt,
    ).toBeGreaterThan(Date.now() / 1000);
    const open = new ClaimsVerifier({ allowUnsigned: true, allowedIssuers: [] });
    expect((await open.verify(signComponent(adder, o).bytes, ctx)).caps).toBeUndefined();
  });
});
