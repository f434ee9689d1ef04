import { describe, expect, it } from 'vitest';
import type { ResolvedLink } from '../../lattice/index.ts';
import { resolvedLinkOf } from '../../test/helpers/unit.ts';
import {
  checkIdentifier,
  derivedBucket,
  escapeGlob,
  isReservedBucket,
  KvRefusal,
  linkKeyPrefix,
  resolveNatsBucket,
} from './kv-namespace.ts';

const link = (target_config_values: Record<string, string> = {}, o: Partial<ResolvedLink> = {}): ResolvedLink =>
  resolvedLinkOf('counter', 'kv', 'wasi:keyvalue', ['store'], { target_config_values, ...o });

/** The WIT error value a call throws. */
const refusal = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(KvRefusal);
    return (err as KvRefusal).value;
  }
  throw new Error('did not throw');
};

describe('kv-namespace: identifiers', () => {
  it('accepts plain names and refuses globs, separators, empty and oversize identifiers with KV_BAD_IDENTIFIER', () => {
    expect(checkIdentifier('default')).toBe('default');
    expect(checkIdentifier('a_B-9')).toBe('a_B-9');
    for (const bad of [
      '',
      '*',
      'a*',
      'a?',
      '[a]',
      'a\\b',
      'a:b',
      'a.b',
      'a/b',
      'a b',
      'é',
      'x'.repeat(129),
      7,
      undefined,
    ]) {
      expect(refusal(() => checkIdentifier(bad))).toMatchObject({
        tag: 'other',
        val: expect.stringMatching(/^\[KV_BAD_IDENTIFIER\]/),
      });
    }
  });
});

describe('kv-namespace: reserved buckets', () => {
  it('reserves the lattice, wadm and weft buckets and raw stream names, and nothing else', () => {
    for (const r of [
      'LATTICEDATA_default',
      'CONFIGDATA_x',
      'wadm_manifests',
      'wadm_state',
      'weft_controller',
      'KV_x',
      'OBJ_artifacts',
    ])
      expect(isReservedBucket(r)).toBe(true);
    for (const ok of ['counters', 'default', 'weftkv_default_c_d_0123', 'latticedata', 'my_LATTICEDATA_x'])
      expect(isReservedBucket(ok)).toBe(false);
  });
});

describe('kv-namespace: derived JetStream buckets', () => {
  it('are readable, at most 64 valid characters, and never reserved', () => {
    const b = derivedBucket('default', 'counter', 'default');
    expect(b).toMatch(/^weftkv_default_counter_default_[0-9a-f]{20}$/);
    const long = derivedBucket('l'.repeat(300), 's.*>'.repeat(100), 'i'.repeat(128));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^weftkv_[A-Za-z0-9_-]+$/);
    expect(isReservedBucket(derivedBucket('x', 'LATTICEDATA_default', 'CONFIGDATA_x'))).toBe(false);
  });

  it('differ for every different (lattice, source, identifier), also where the readable parts look alike', () => {
    const triples: [string, string, string][] = [
      ['l', 'a_b', 'c'],
      ['l', 'a', 'b_c'],
      ['l_a', 'b', 'c'],
      ['l', 'a.b', 'c'],
      ['l', 'a-b', 'c'],
      ['l', 'a', 'b'],
      ['m', 'a', 'b'],
      ['l', 'x'.repeat(80), 'one'],
      ['l', 'x'.repeat(80), 'two'],
    ];
    const names = triples.map(([l, s, i]) => derivedBucket(l, s, i));
    expect(new Set(names).size).toBe(triples.length);
    expect(derivedBucket('l', 'a', 'b')).toBe(derivedBucket('l', 'a', 'b')); // stable
  });
});

describe('kv-namespace: resolving a keyvalue-nats open', () => {
  it('without bucket config: the link own derived bucket, per source and identifier', () => {
    expect(resolveNatsBucket('default', link(), 'default')).toEqual({
      bucket: derivedBucket('default', 'counter', 'default'),
      derived: true,
      autoCreate: true,
    });
    expect(resolveNatsBucket('default', link(), 'CONFIGDATA_default').bucket).toBe(
      derivedBucket('default', 'counter', 'CONFIGDATA_default'),
    );
    expect(resolveNatsBucket('default', link({}, { source_id: 'other' }), 'default').bucket).not.toBe(
      resolveNatsBucket('default', link(), 'default').bucket,
    );
  });

  it('with bucket: the link name and the bucket reach it; allow-listed buckets reach themselves; anything else is no-such-store', () => {
    const l = link({ bucket: 'counters', buckets: 'extra, more' });
    expect(resolveNatsBucket('d', l, 'default')).toEqual({ bucket: 'counters', derived: false, autoCreate: true });
    expect(resolveNatsBucket('d', l, 'counters').bucket).toBe('counters');
    expect(resolveNatsBucket('d', l, 'more').bucket).toBe('more');
    for (const id of ['LATTICEDATA_d', 'CONFIGDATA_d', 'wadm_manifests', 'other'])
      expect(refusal(() => resolveNatsBucket('d', l, id))).toEqual({ tag: 'no-such-store' });
    expect(refusal(() => resolveNatsBucket('d', l, '*'))).toMatchObject({ tag: 'other' });
    // only buckets: no link-name alias and no derived buckets
    expect(refusal(() => resolveNatsBucket('d', link({ buckets: 'a' }), 'default'))).toEqual({ tag: 'no-such-store' });
    expect(resolveNatsBucket('d', link({ buckets: 'a' }), 'a').bucket).toBe('a');
  });

  it('refuses reserved buckets even when the operator configures them, and says so for bad names', () => {
    for (const bucket of ['LATTICEDATA_d', 'CONFIGDATA_d', 'wadm_manifests', 'weft_controller', 'KV_x', 'OBJ_y']) {
      expect(refusal(() => resolveNatsBucket('d', link({ bucket }), 'default'))).toEqual({ tag: 'access-denied' });
      expect(refusal(() => resolveNatsBucket('d', link({ bucket: 'ok', buckets: bucket }), bucket))).toEqual({
        tag: 'access-denied',
      });
    }
    expect(refusal(() => resolveNatsBucket('d', link({ bucket: 'a.b' }), 'default'))).toMatchObject({
      tag: 'other',
      val: expect.stringMatching(/^\[KV_BAD_CONFIG\]/),
    });
  });

  it('honours enable_bucket_auto_create=false (bind only)', () => {
    expect(
      resolveNatsBucket('d', link({ bucket: 'c', enable_bucket_auto_create: 'FALSE' }), 'default').autoCreate,
    ).toBe(false);
  });
});

describe('kv-namespace: Redis and memory key prefixes', () => {
  it('derive {weftkv}:{lattice}:{source}:{link}:{id}: with every part escaped, or use the configured namespace', () => {
    expect(linkKeyPrefix('default', link(), 'default')).toBe('weftkv:default:counter:default:default:');
    expect(linkKeyPrefix('default', link({ namespace: 'shared' }), 'x')).toBe('shared:x:');
    expect(linkKeyPrefix('default', link({ bucket: 'shared' }), 'x')).toBe('shared:x:');
    expect(linkKeyPrefix('l', link({}, { source_id: 'a:b*', name: 'n%' }), 'i')).toBe('weftkv:l:a%3Ab%2A:n%25:i:');
  });

  it('no prefix starts another link prefix: sources and link names that contain ":" cannot reach a neighbour', () => {
    const prefixes = [
      linkKeyPrefix('l', link({}, { source_id: 'a', name: 'b:c' }), 'd'),
      linkKeyPrefix('l', link({}, { source_id: 'a:b', name: 'c' }), 'd'),
      linkKeyPrefix('l', link({}, { source_id: 'a', name: 'b' }), 'c'),
      linkKeyPrefix('l', link({ namespace: 'weftkv-l' }), 'a'),
      linkKeyPrefix('l', link({ namespace: 'l' }), 'a'),
    ];
    for (const p of prefixes) for (const q of prefixes) if (p !== q) expect(q.startsWith(p)).toBe(false);
  });

  it('refuses a namespace with a separator or the derived prefix, and bad identifiers', () => {
    for (const namespace of ['a:b', 'weftkv', '*', ''])
      expect(refusal(() => linkKeyPrefix('l', link({ namespace }), 'x'))).toMatchObject({
        tag: 'other',
        val: expect.stringMatching(/^\[KV_BAD_CONFIG\]/),
      });
    expect(refusal(() => linkKeyPrefix('l', link(), '*'))).toMatchObject({
      tag: 'other',
      val: expect.stringMatching(/^\[KV_BAD_IDENTIFIER\]/),
    });
  });

  it('escapes every glob metacharacter for SCAN MATCH', () => {
    expect(escapeGlob('a*b?c[d]e\\f^g')).toBe('a\\*b\\?c\\[d\\]e\\\\f\\^g');
  });
});
