import { describe, expect, it } from 'vitest';
import { decodeComponentSpec, decodeLinkValue } from './decode-link-spec.ts';

const link = {
  source_id: 'counter',
  target: 'kv',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store'],
  source_config: [],
  target_config: ['kv-cfg'],
};

describe('decodeComponentSpec', () => {
  it('keeps valid links and drops each invalid one with its reason', () => {
    const { spec, dropped } = decodeComponentSpec(
      JSON.stringify({
        url: 'u',
        links: [link, null, 3, { ...link, interfaces: [] }, { ...link, target: 5 }, { ...link, source_id: 'other' }],
      }),
      'counter',
    );
    expect(spec).toEqual({ url: 'u', links: [link] });
    expect(dropped).toHaveLength(5);
    expect(dropped[0]).toMatch(/^links\[1\]: .*LAT_BAD_PAYLOAD/);
    expect(dropped[4]).toMatch(/not the spec's component/);
  });

  it('accepts a spec without links and fills a link name like link.put', () => {
    expect(decodeComponentSpec('{}', 'a')).toEqual({ spec: { url: '', links: [] }, dropped: [] });
    const { name: _n, ...unnamed } = link;
    expect(decodeComponentSpec(JSON.stringify({ links: [unnamed] }), 'counter').spec.links[0]?.name).toBe('default');
  });

  it('refuses an entry that is not a spec at all', () => {
    for (const b of ['null', '[]', '{"links":{}}', '{"links":"x"}', '{"url":1}', '{"links":[', 'x'])
      expect(() => decodeComponentSpec(b, 'a'), b).toThrow(/LAT_BAD_PAYLOAD/);
  });

  it('decodeLinkValue applies the link.put rules to a parsed value', () => {
    expect(decodeLinkValue(link)).toEqual(link);
    for (const b of [null, [], { ...link, wit_package: '' }, { ...link, interfaces: [1] }])
      expect(() => decodeLinkValue(b)).toThrow(/LAT_BAD_PAYLOAD/);
  });
});
