import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClaimsErrorCode, decodeJwt, extractJwt, generateKey, inspectComponent, listSections, moduleHash, signComponent, stripJwt, verifyComponent } from './index.ts';

const fixtures = new URL('../../test/fixtures/components/', import.meta.url);
const echo = new Uint8Array(readFileSync(new URL('echo_messaging_v0.9.0.wasm', fixtures)));
const adder = new Uint8Array(readFileSync(new URL('adder.component.wasm', fixtures)));

describe('wascap', () => {
  it('inspect - the wasmCloud-signed echo_messaging module verifies', () => {
    const i = inspectComponent(echo);
    expect(i).toMatchObject({ signatureValid: true, hashValid: true, expired: false, notYetValid: false });
    expect(i?.claims.iss).toBe('ABRK5MP6QRTH7HXOVP2PR2TLDW6DPLBAF3LTGVWQRFVEF7W5VOUMACXB');
    expect(i?.claims.sub).toBe('MDJ5BWS6JXSWOZL2ZENW2D4FBSHQ5ZMFGEGJB33TLKYKMXTLLAXINU36');
    expect(i?.claims.wascap).toMatchObject({ name: 'Echo Messaging', caps: ['wasmcloud:messaging', 'wasmcloud:builtin:logging'] });
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
    expect(claims.wascap).toMatchObject({ name: 'adder', hash: moduleHash(adder), tags: ['t1'], caps: ['wasi:keyvalue'], prov: false });
    expect(claims.sub.startsWith('M')).toBe(true);
    expect(stripJwt(s.bytes)).toEqual(adder);
    expect(verifyComponent(s.bytes, { allowedIssuers: [issuer.getPublicKey()] }).sub).toBe(subject.getPublicKey());
    expect(() => verifyComponent(s.bytes, { allowedIssuers: [generateKey('account').getPublicKey()] })).toThrow(expect.objectContaining({ code: ClaimsErrorCode.IssuerNotAllowed }));
    const resigned = signComponent(s.bytes, { issuer, subject, name: 'again' });
    expect(listSections(resigned.bytes).filter((x) => x.name === 'wasmcloud_jwt')).toHaveLength(1);
    const old = signComponent(adder, { issuer, subject, expiresInDays: 1, now: 1_000_000 });
    expect(() => verifyComponent(old.bytes)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.Expired }));
    const future = signComponent(adder, { issuer, subject, notBeforeDays: 2 });
    expect(() => verifyComponent(future.bytes)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.NotYetValid }));
    expect(() => verifyComponent(adder)).toThrow(expect.objectContaining({ code: ClaimsErrorCode.NotSigned }));
  });
});
