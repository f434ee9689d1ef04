import { describe, expect, it } from 'vitest';
import { createHostIdentity, signEntityJwt } from '../../lattice/secrets/index.ts';
import type { SecretRequest } from '../../lattice/secrets/index.ts';
import { generateKey } from '../../lattice/wascap/index.ts';
import { authorize, decodeRecord, nextVersion } from './secret-records.ts';
import type { SecretRecord } from './secret-records.ts';

const issuer = generateKey('account');
const subject = generateKey('component').getPublicKey();
const entityJwt = signEntityJwt(
  { sub: subject, wascap: { caps: ['wasi:keyvalue/store', 'wasmcloud:secrets'] } },
  issuer,
);
const host = createHostIdentity(generateKey('host').getPublicKey(), 'h');
const req = (over: Partial<SecretRequest['context']> = {}): SecretRequest => ({
  key: 'k',
  context: {
    entity_jwt: entityJwt,
    host_jwt: host.hostJwt,
    application: { policy: '' },
    entity_id: 'api',
    entity_kind: 'component',
    ...over,
  },
});
const rec = (allow: string[]): SecretRecord => ({ name: 'k', allow, versions: [] });

describe('authorize', () => {
  it.each([
    ['component:api', true],
    ['component:other', false],
    ['provider:api', false],
    [`subject:${subject}`, true],
    [`issuer:${issuer.getPublicKey()}`, true],
    ['issuer:AOTHER', false],
    ['cap:wasi:keyvalue', true],
    ['cap:wasi:http', false],
  ])('rule %s → %s', (rule, ok) => {
    expect(authorize(rec([rule]), req()).ok).toBe(ok);
  });
  it('refuses a forged or non-entity JWT and a host JWT that is not a host', () => {
    const [h, b] = entityJwt.split('.');
    expect(authorize(rec(['component:api']), req({ entity_jwt: `${h}.${b}.AAAA` }))).toMatchObject({
      ok: false,
      reason: /signature/,
    });
    expect(authorize(rec(['component:api']), req({ entity_jwt: host.hostJwt }))).toMatchObject({
      ok: false,
      reason: /neither/,
    });
    expect(authorize(rec(['component:api']), req({ host_jwt: entityJwt }))).toMatchObject({
      ok: false,
      reason: /host/,
    });
  });
  it('reports who asked (never a value)', () => {
    const r = authorize(rec([]), req());
    expect(r).toMatchObject({ ok: false, who: { entity_id: 'api', subject, issuer: issuer.getPublicKey() } });
  });
});

describe('records', () => {
  it('decodes a stored record and drops junk', () => {
    const good = {
      name: 'k',
      allow: ['component:a'],
      versions: [{ version: '1', kind: 'string', sealed: 'eA==', created_at: 'x' }],
    };
    expect(decodeRecord(new TextEncoder().encode(JSON.stringify(good)))).toEqual(good);
    for (const bad of [
      '{',
      '[]',
      JSON.stringify({ ...good, allow: ['root'] }),
      JSON.stringify({ ...good, versions: [{}] }),
    ])
      expect(decodeRecord(new TextEncoder().encode(bad))).toBeUndefined();
    expect(nextVersion(undefined)).toBe('1');
    expect(nextVersion(good as SecretRecord)).toBe('2');
  });
});
