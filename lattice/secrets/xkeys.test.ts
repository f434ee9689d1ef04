import { describe, expect, it } from 'vitest';
import { isXkeyPublic, newXkey, openFrom, sealTo, xkeyFromSeed, xkeySeed } from './xkeys.ts';
import { createHostIdentity, builtinProviderJwt, readEntityJwt, signEntityJwt, tokenProblem } from './entity-jwt.ts';
import { generateKey } from '../wascap/index.ts';

describe('xkeys', () => {
  it('seals to a recipient that alone opens it, from the sender it names', () => {
    const a = newXkey();
    const b = newXkey();
    const box = sealTo(a, 'hello', b.getPublicKey());
    expect(new TextDecoder().decode(box.subarray(0, 4))).toBe('xkv1');
    expect(new TextDecoder().decode(openFrom(b, box, a.getPublicKey()))).toBe('hello');
    expect(() => openFrom(newXkey(), box, a.getPublicKey())).toThrow(/does not open/);
    expect(() => openFrom(b, box, newXkey().getPublicKey())).toThrow(/does not open/);
    expect(() => openFrom(b, box.subarray(0, 10), a.getPublicKey())).toThrow(/does not open/);
  });
  it('restores a key from its seed and checks public keys', () => {
    const a = newXkey();
    expect(xkeySeed(a)).toMatch(/^SX/);
    expect(xkeyFromSeed(xkeySeed(a)).getPublicKey()).toBe(a.getPublicKey());
    expect(isXkeyPublic(a.getPublicKey())).toBe(true);
    expect(isXkeyPublic(generateKey('account').getPublicKey())).toBe(false);
    expect(isXkeyPublic('X' + 'A'.repeat(55))).toBe(false);
    expect(() => xkeyFromSeed('SXnot-a-seed')).toThrow(/curve/);
    expect(() => sealTo(a, 'x', 'nope')).toThrow(/recipient/);
  });
});

describe('entity JWTs', () => {
  it('makes a self-signed host JWT and provider JWTs a backend can check', () => {
    const host = generateKey('host').getPublicKey();
    const id = createHostIdentity(host, 'calm-fox-1', { zone: 'a' });
    const h = readEntityJwt(id.hostJwt)!;
    expect(h).toMatchObject({ sub: host, role: 'N', signatureValid: true });
    expect((h.wascap['labels'] as Record<string, string>)['self_signed']).toBe('true');
    const p = readEntityJwt(builtinProviderJwt(id, 'redis'))!;
    expect(p).toMatchObject({ iss: id.account.getPublicKey(), role: 'V', signatureValid: true });
    expect(tokenProblem(p)).toBeUndefined();
  });
  it('finds tampered, expired and junk tokens', () => {
    const acct = generateKey('account');
    const t = signEntityJwt({ sub: generateKey('component').getPublicKey(), wascap: {} }, acct);
    const [h, , s] = t.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: acct.getPublicKey(), sub: 'x', iat: 1 })).toString('base64url')}.${s}`;
    expect(tokenProblem(readEntityJwt(forged))).toMatch(/signature/);
    const old = signEntityJwt({ sub: 'x', wascap: {}, exp: 10 } as never, acct);
    expect(tokenProblem(readEntityJwt(old))).toMatch(/expired/);
    expect(readEntityJwt('a.b')).toBeUndefined();
    expect(tokenProblem(readEntityJwt('!!.??.##'))).toMatch(/not a wascap/);
  });
});
