import { describe, expect, it } from 'vitest';
import { decodeSecretMap, encodeSecretMap, encodeSecretValue, SecretMapLimits } from './secret-values.ts';

const VALUE = 'planted-secret-value-91c2';
const expectBad = (v: unknown, re: RegExp): void => {
  let err: unknown;
  try {
    decodeSecretMap(v, 'HostData: "secrets"');
  } catch (e) {
    err = e;
  }
  expect((err as { code?: string }).code).toBe('LAT_BAD_PAYLOAD');
  expect((err as Error).message).toMatch(/^\[LAT_BAD_PAYLOAD\] HostData: "secrets"/);
  expect((err as Error).message).toMatch(re);
  expect((err as Error).message).not.toContain(VALUE);
};

describe("secret values on the wire (wasmCloud's SecretValue, {kind, value})", () => {
  it('encodes as serde adjacent tagging and decodes back', () => {
    expect(encodeSecretValue({ tag: 'string', val: 's' })).toEqual({ kind: 'String', value: 's' });
    expect(encodeSecretValue({ tag: 'bytes', val: Uint8Array.of(1, 2) })).toEqual({ kind: 'Bytes', value: [1, 2] });
    const m = { a: { tag: 'string', val: VALUE }, b: { tag: 'bytes', val: Uint8Array.of(0, 255) } } as const;
    const text = JSON.stringify(encodeSecretMap(m));
    expect(text).toBe(`{"a":{"kind":"String","value":"${VALUE}"},"b":{"kind":"Bytes","value":[0,255]}}`);
    expect(decodeSecretMap(JSON.parse(text), 'x')).toEqual(m);
    expect(decodeSecretMap({}, 'x')).toEqual({});
  });

  it('a "__proto__" name is an ordinary entry, not a prototype', () => {
    const got = decodeSecretMap(JSON.parse('{"__proto__":{"kind":"String","value":"v"}}'), 'x');
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['__proto__']);
  });

  it('hostile - every other shape is refused, naming the entry and never the value', () => {
    expectBad(null, /must be an object/);
    expectBad([{ kind: 'String', value: VALUE }], /must be an object/);
    expectBad({ t: VALUE }, /secret "t": must be \{"kind"/);
    expectBad({ t: { String: VALUE } }, /secret "t": must be/); // serde's external tagging
    expectBad({ t: { kind: 'string', value: VALUE } }, /secret "t": must be/);
    expectBad({ t: { kind: 'String', value: [1] } }, /secret "t": must be/);
    expectBad({ t: { kind: 'Bytes', value: VALUE } }, /secret "t": must be/);
    expectBad({ t: { kind: 'String', value: VALUE, extra: 1 } }, /secret "t": must be/);
    expectBad({ t: { kind: 'Bytes', value: [1, 256] } }, /must hold bytes 0\.\.255/);
    expectBad({ t: { kind: 'Bytes', value: [0.5] } }, /must hold bytes 0\.\.255/);
    expectBad({ t: { kind: 'Bytes', value: ['1'] } }, /must hold bytes 0\.\.255/);
    expectBad({ '': { kind: 'String', value: VALUE } }, /empty or too long/);
    expectBad({ ['n'.repeat(SecretMapLimits.name + 1)]: { kind: 'String', value: VALUE } }, /empty or too long/);
    const many = Object.fromEntries(
      Array.from({ length: SecretMapLimits.entries + 1 }, (_, i) => [`s${i}`, { kind: 'String', value: 'v' }]),
    );
    expectBad(many, /more than 64 secrets/);
    expectBad({ t: { kind: 'String', value: 'x'.repeat(SecretMapLimits.value + 1) } }, /longer than/);
    expectBad({ t: { kind: 'Bytes', value: new Array(SecretMapLimits.value + 1).fill(0) } }, /longer than/);
  });
});
