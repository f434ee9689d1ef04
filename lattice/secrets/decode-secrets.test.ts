import { describe, expect, it } from 'vitest';
import {
  decodeSecretReference,
  decodeSecretRequest,
  decodeSecretResponse,
  encodeSecretReference,
  secretErrorText,
} from './decode-secrets.ts';
import { SECRET_TYPE } from './types.ts';

const ctx = { entity_jwt: 'a.b.c', host_jwt: 'd.e.f', application: { name: 'app', policy: '{}' } };

describe('decodeSecretRequest', () => {
  it("reads wasmCloud's shape, weft's extensions and nulls", () => {
    const r = decodeSecretRequest(
      JSON.stringify({
        key: 'db',
        field: null,
        version: '2',
        context: { ...ctx, entity_id: 'c1', entity_kind: 'component' },
      }),
    );
    expect(r).toEqual({
      key: 'db',
      field: undefined,
      version: '2',
      context: { ...ctx, entity_id: 'c1', entity_kind: 'component' },
    });
    const old = decodeSecretRequest(
      JSON.stringify({ key: 'db', context: { entity_jwt: 'x', host_jwt: 'y', application: { name: null } } }),
    );
    expect(old.context.application).toEqual({ name: undefined, policy: '' });
  });
  it.each([
    ['not json', 'not JSON'],
    [JSON.stringify({ key: '', context: ctx }), '"key"'],
    [JSON.stringify({ key: 'k' }), '"context"'],
    [JSON.stringify({ key: 'k', context: { ...ctx, entity_jwt: 5 } }), 'entity_jwt'],
    [JSON.stringify({ key: 'k', context: { ...ctx, entity_kind: 'host' } }), 'entity_kind'],
    [JSON.stringify({ key: 'k'.repeat(9000), context: ctx }), 'longer'],
  ])('refuses %s', (input, field) => {
    expect(() => decodeSecretRequest(input)).toThrow(field);
  });
});

describe('decodeSecretResponse', () => {
  it('reads a string, a binary secret and errors in serde form', () => {
    expect(decodeSecretResponse('{"secret":{"version":"1","string_secret":"v","binary_secret":null}}').secret).toEqual({
      version: '1',
      string_secret: 'v',
    });
    expect(decodeSecretResponse('{"secret":{"version":"1","binary_secret":[0,255]}}').secret?.binary_secret).toEqual([
      0, 255,
    ]);
    expect(decodeSecretResponse('{"error":"SecretNotFound"}').error).toBe('SecretNotFound');
    expect(decodeSecretResponse('{"error":{"UpstreamError":"down"}}').error).toEqual({ UpstreamError: 'down' });
  });
  it.each([
    '{}',
    '{"secret":{"version":"1"}}',
    '{"secret":{"version":"1","string_secret":"a","binary_secret":[1]}}',
    '{"secret":{"version":"1","binary_secret":[256]}}',
    '{"error":{"a":"1","b":"2"}}',
    '[]',
  ])('refuses %s without quoting it', (input) => {
    try {
      decodeSecretResponse(input);
      expect.unreachable();
    } catch (err) {
      expect((err as { code: string }).code).toBe('LAT_BAD_PAYLOAD');
      expect((err as Error).message).not.toContain('"a"');
    }
  });
  it('never quotes a value in its messages', () => {
    expect(() =>
      decodeSecretResponse('{"secret":{"version":"1","string_secret":"hunter2","binary_secret":[1]}}'),
    ).toThrow(/both/);
    try {
      decodeSecretResponse('{"secret": "hunter2"');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});

describe('secret references', () => {
  it('round-trips through the config map and defaults the name from the config name', () => {
    const m = encodeSecretReference({
      name: 'pw',
      backend: 'weft',
      key: 'redis',
      version: '2',
      policy: '{"type":"x","properties":{}}',
    });
    expect(m['type']).toBe(SECRET_TYPE);
    expect(decodeSecretReference('SECRET_pw', m)).toMatchObject({
      name: 'pw',
      backend: 'weft',
      key: 'redis',
      version: '2',
    });
    const { name: _n, ...noName } = m;
    expect(decodeSecretReference('SECRET_other', noName).name).toBe('other');
  });
  it('refuses a wrong type, a missing backend and a policy that is not JSON', () => {
    expect(() => decodeSecretReference('SECRET_a', { backend: 'b', key: 'k', type: 'nope' })).toThrow(/type/);
    expect(() => decodeSecretReference('SECRET_a', { key: 'k' })).toThrow(/backend/);
    expect(() => decodeSecretReference('SECRET_a', { backend: 'b', key: 'k', policy: '{' })).toThrow(/policy/);
  });
  it('prints backend errors the way wasmCloud does', () => {
    expect(secretErrorText('Unauthorized')).toBe('unauthorized');
    expect(secretErrorText({ UpstreamError: 'down' })).toBe('UpstreamError: down');
  });
});
