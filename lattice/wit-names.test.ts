import { describe, expect, it } from 'vitest';
import { parseWitName, splitOperation, unversioned, witPackageOf } from './wit-names.ts';

describe('wit names', () => {
  it('unversioned - strips the version of the last segment only', () => {
    expect(unversioned('wasi:keyvalue/store@0.2.0-draft')).toBe('wasi:keyvalue/store');
    expect(unversioned('wasi:keyvalue/store')).toBe('wasi:keyvalue/store');
    expect(unversioned('wasi:keyvalue@0.2.0')).toBe('wasi:keyvalue');
    expect(unversioned('wasi:http@0.2.0/types')).toBe('wasi:http@0.2.0/types');
  });

  it('parseWitName - namespace, package, interface and version', () => {
    expect(parseWitName('wasi:keyvalue/store@0.2.0-draft')).toEqual({
      namespace: 'wasi',
      package: 'keyvalue',
      interface: 'store',
      version: '0.2.0-draft',
    });
    expect(parseWitName('docs:adder/add')).toEqual({ namespace: 'docs', package: 'adder', interface: 'add' });
    expect(parseWitName('wasi:keyvalue@0.2.0')).toEqual({
      namespace: 'wasi',
      package: 'keyvalue',
      interface: '',
      version: '0.2.0',
    });
  });

  it('parseWitName - a name without a namespace is undefined', () => {
    expect(parseWitName('store')).toBeUndefined();
    expect(parseWitName(':pkg/iface')).toBeUndefined();
  });

  it('splitOperation - splits at the last dot, so versions keep their dots', () => {
    expect(splitOperation('docs:adder/add@0.1.0.add')).toEqual({ iface: 'docs:adder/add@0.1.0', func: 'add' });
    expect(splitOperation('wasi:http/incoming-handler.handle')).toEqual({
      iface: 'wasi:http/incoming-handler',
      func: 'handle',
    });
    expect(splitOperation('run')).toEqual({ iface: '', func: 'run' });
  });

  it('witPackageOf - ns:pkg without versions', () => {
    expect(witPackageOf('wasi:keyvalue/store@0.2.0')).toBe('wasi:keyvalue');
    expect(witPackageOf('wasi:keyvalue@0.2.0/store')).toBe('wasi:keyvalue');
    expect(witPackageOf('wasi:keyvalue')).toBe('wasi:keyvalue');
  });
});
