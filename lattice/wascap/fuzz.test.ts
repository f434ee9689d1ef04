import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClaimsError, decodeJwt, extractJwt, inspectComponent, listSections, verifyComponent } from './index.ts';

/** mulberry32: a seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const echo = new Uint8Array(
  readFileSync(new URL('../../test/fixtures/components/echo_messaging_v0.9.0.wasm', import.meta.url)),
);
const jwt = extractJwt(echo) ?? '';

function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const out = bytes.slice();
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
  return r() < 0.2 ? out.subarray(0, Math.floor(r() * out.length)) : out;
}

describe('wascap fuzz', () => {
  it('fuzz - 1,500 random and mutated JWTs and 500 section layouts: every one decodes or fails with a ClaimsError', () => {
    const r = prng(20261124);
    let tokens = 0;
    let binaries = 0;
    const enc = new TextEncoder();
    for (let i = 0; i < 1500; i++) {
      let t: string;
      const k = r();
      if (k < 0.3) t = new TextDecoder().decode(mutate(enc.encode(jwt), r));
      else if (k < 0.6)
        t = jwt
          .split('.')
          .map((p) => (r() < 0.5 ? Buffer.from(mutate(Buffer.from(p, 'base64url'), r)).toString('base64url') : p))
          .join('.');
      else if (k < 0.8)
        t = Array.from({ length: Math.floor(r() * 300) }, () => String.fromCharCode(32 + Math.floor(r() * 95))).join(
          '',
        );
      else
        t = [
          JSON.stringify({ typ: 'jwt', alg: r() < 0.5 ? 'Ed25519' : 'none' }),
          JSON.stringify({ jti: 1, wascap: r() < 0.5 ? null : { hash: 3 } }),
          'x',
        ]
          .map((p) => Buffer.from(p).toString('base64url'))
          .join('.');
      try {
        decodeJwt(t);
      } catch (err) {
        expect(err).toBeInstanceOf(ClaimsError);
      }
      tokens++;
    }
    for (let i = 0; i < 500; i++) {
      const b =
        r() < 0.85
          ? mutate(echo, r)
          : new Uint8Array(Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
      for (const f of [listSections, extractJwt, inspectComponent, verifyComponent] as ((x: Uint8Array) => unknown)[]) {
        try {
          f(b);
        } catch (err) {
          expect(err).toBeInstanceOf(ClaimsError);
        }
      }
      binaries++;
    }
    console.log(`wascap fuzz: ${tokens} tokens, ${binaries} binaries, no crash, no hang, every failure a ClaimsError`);
    expect(tokens + binaries).toBe(2000);
  });
});
