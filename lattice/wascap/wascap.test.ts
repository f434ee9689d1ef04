import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ClaimsErrorCode,
  decodeJwt,
  embedJwt,
  encodeJwt,
  extractJwt,
  generateKey,
  inspectComponent,
  listSections,
  moduleHash,
  publicKeyRole,
  signComponent,
  stripJwt,
  verifyComponent,
} from './index.ts';
import type { ComponentClaims } from './index.ts';

const fixtures = new URL('../../test/fixtures/components/', import.meta.url);
const echo = new Uint8Array(readFileSync(new URL('echo_messaging_v0.9.0.wasm', fixtures)));
const adder = new Uint8Array(readFileSync(new URL('adder.component.wasm', fixtures)));

describe('wascap', () => {
  it('inspect - the wasmCloud-signed echo_messaging module verifies', () => {
    const i = inspectComponent(echo);
    expect(i).toMatchObject({ signatureValid: true, hashValid: true, expired: false, notYetValid: false });
    expect(i?.claims.iss).toBe('ABRK5MP6QRTH7HXOVP2PR2TLDW6DPLBAF3LTGVWQRFVEF7W5VOUMACXB');
    expect(i?.claims.sub).toBe('MDJ5BWS6JXSWOZL2ZENW2D4FBSHQ5ZMFGEGJB33TLKYKMXTLLAXINU36');
    expect(i?.claims.wascap).toMatchObject({
      name: 'Echo Messaging',
      caps: ['wasmcloud:messaging', 'wasmcloud:builtin:logging'],
    });
    expect(moduleHash(echo)).toBe('0A116480EF09116D59E441A125EF472E362B6F2AE0938E4D33A964C349BE13C7');
    expect(verifyComponent(echo).wascap_revision).toBe(2);
  });

  it('inspect - one byte of code changed is a hash mismatch; one byte of the signature is an invalid signature', () => {
    const code = echo.slice();
    const first = listSections(code).find((s) => s.id === 10) ?? listSections(code).find((s) => s.id !== 0);
    const at = (first?.end ?? 20) - 1;
    code[at] = (code[at] ?? 0) ^ 0xff;
    expect(inspectComponent(code)).toMatchObject({ signatureValid: true, hashValid: false });
    expect(() => verifyComponent(code)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.HashMismatch }));

    const jwt = extractJwt(echo) ?? '';
    const sec = listSections(echo).find((s) => s.name === 'wasmcloud_jwt');
    const sig = echo.slice();
    const pos = (sec?.end ?? 0) - 5; // inside the signature segment
    const ch = String.fromCharCode(sig[pos] ?? 65);
    sig[pos] = (ch === 'A' ? 'B' : 'A').charCodeAt(0);
    expect(jwt.length).toBeGreaterThan(100);
    expect(inspectComponent(sig)).toMatchObject({ signatureValid: false });
    expect(() => verifyComponent(sig)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.BadSignature }));
  });

  it('sign - a weft-signed component carries wascap structure and verifies; expiry and nbf are detected', () => {
    const issuer = generateKey('account');
    const subject = generateKey('component');
    const s = signComponent(adder, { issuer, subject, name: 'adder', caps: ['wasi:keyvalue'], tags: ['t1'] });
    const { claims } = decodeJwt(extractJwt(s.bytes) ?? '');
    expect(Object.keys(claims)).toEqual(['jti', 'iat', 'iss', 'sub', 'wascap', 'wascap_revision']);
    expect(claims.wascap).toMatchObject({
      name: 'adder',
      hash: moduleHash(adder),
      tags: ['t1'],
      caps: ['wasi:keyvalue'],
      prov: false,
    });
    expect(claims.sub.startsWith('M')).toBe(true);
    expect(stripJwt(s.bytes)).toEqual(adder);
    expect(verifyComponent(s.bytes, { allowedIssuers: [issuer.getPublicKey()] }).sub).toBe(subject.getPublicKey());
    expect(() => verifyComponent(s.bytes, { allowedIssuers: [generateKey('account').getPublicKey()] })).toThrow(
      expect.objectContaining({ code: ClaimsErrorCode.IssuerNotAllowed }),
    );
    const resigned = signComponent(s.bytes, { issuer, subject, name: 'again' });
    expect(listSections(resigned.bytes).filter((x) => x.name === 'wasmcloud_jwt')).toHaveLength(1);
    const old = signComponent(adder, { issuer, subject, expiresInDays: 1, now: 1_000_000 });
    expect(() => verifyComponent(old.bytes)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.Expired }));
    const future = signComponent(adder, { issuer, subject, notBeforeDays: 2 });
    expect(() => verifyComponent(future.bytes)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.NotYetValid }));
    expect(() => verifyComponent(adder)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.NotSigned }));
  });
});

describe('wascap - caps and key roles', () => {
  const issuer = generateKey('account');
  const subject = generateKey('component');

  it('caps - [] is embedded as an empty list (deny-all), undefined leaves the claim out (unrestricted)', () => {
    const denyAll = decodeJwt(extractJwt(signComponent(adder, { issuer, subject, caps: [] }).bytes) ?? '').claims;
    expect(denyAll.wascap.caps).toEqual([]);
    const open = decodeJwt(extractJwt(signComponent(adder, { issuer, subject }).bytes) ?? '').claims;
    expect('caps' in open.wascap).toBe(false);
  });

  it('caps - a token with "caps": null is malformed, not unrestricted', () => {
    const claims = {
      jti: 'x',
      iat: 1,
      iss: issuer.getPublicKey(),
      sub: subject.getPublicKey(),
      wascap: { hash: moduleHash(adder), caps: null, prov: false },
    };
    const bad = signComponent(adder, { issuer, subject }); // valid token, then one with caps null in its place
    const jwt = encodeJwt(claims as unknown as ComponentClaims, issuer);
    expect(() => decodeJwt(jwt)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.BadToken }));
    expect(() => verifyComponent(embedJwt(stripJwt(bad.bytes), jwt))).toThrow(
      expect.objectContaining({ code: ClaimsErrorCode.BadToken }),
    );
  });

  it('key roles - publicKeyRole reads the role letter of valid keys only', () => {
    expect(publicKeyRole(issuer.getPublicKey())).toBe('A');
    expect(publicKeyRole(subject.getPublicKey())).toBe('M');
    expect(publicKeyRole(generateKey('operator').getPublicKey())).toBe('O');
    const k = subject.getPublicKey();
    expect(publicKeyRole(`${k.slice(0, 20)}${k[20] === 'A' ? 'B' : 'A'}${k.slice(21)}`)).toBeUndefined(); // bad CRC
    expect(publicKeyRole('Mshort')).toBeUndefined();
  });

  it('key roles - an issuer that is not an account key, or a subject that is not a component key, is refused', () => {
    for (const type of ['operator', 'user', 'server', 'component']) {
      const s = signComponent(adder, { issuer: generateKey(type), subject });
      expect(inspectComponent(s.bytes)?.keyRolesValid, type).toBe(false);
      expect(() => verifyComponent(s.bytes), type).toThrow(expect.objectContaining({ code: ClaimsErrorCode.KeyRole }));
    }
    const wrongSub = signComponent(adder, { issuer, subject: generateKey('account').getPublicKey() });
    expect(() => verifyComponent(wrongSub.bytes)).toThrow(
      expect.objectContaining({ code: ClaimsErrorCode.KeyRole, message: expect.stringMatching(/not a component key/) }),
    );
    expect(inspectComponent(echo)?.keyRolesValid).toBe(true); // wasmCloud's own: A issuer, M subject
    expect(verifyComponent(signComponent(adder, { issuer, subject }).bytes).iss).toBe(issuer.getPublicKey());
  });
});
