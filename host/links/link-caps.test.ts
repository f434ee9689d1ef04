import { describe, expect, it } from 'vitest';
import type { Link } from '../../lattice/index.ts';
import { linkOf } from '../../test/helpers/unit.ts';
import { capsAllow, checkImportCaps, checkLinkCaps, importDenied } from './link-caps.ts';

const link = (pkg: string, interfaces: string[]): Link => linkOf('c', 't', pkg, interfaces);

describe('caps matching', () => {
  it('caps - a package cap matches its interfaces only, never a longer package name', () => {
    expect(capsAllow(['wasi:http'], 'wasi:http/outgoing-handler')).toBe(true);
    expect(capsAllow(['wasi:http'], 'wasi:httpx/outgoing-handler')).toBe(false);
    expect(capsAllow(['wasi:http'], 'wasi:http-extra/x')).toBe(false);
    expect(capsAllow(['wasi:keyvalue'], 'wasi:keyvalue')).toBe(true);
    expect(capsAllow(['wasi'], 'wasi:keyvalue/store')).toBe(false);
  });

  it('caps - an interface cap matches that interface alone; versions on either side are ignored', () => {
    expect(capsAllow(['wasi:keyvalue/store'], 'wasi:keyvalue/store')).toBe(true);
    expect(capsAllow(['wasi:keyvalue/store'], 'wasi:keyvalue/atomics')).toBe(false);
    expect(capsAllow(['wasi:keyvalue/store'], 'wasi:keyvalue/storex')).toBe(false);
    expect(capsAllow(['wasi:keyvalue@0.2.0-draft'], 'wasi:keyvalue/store@0.2.0-draft')).toBe(true);
    expect(capsAllow(['wasi:keyvalue/store@0.2.0-draft'], 'wasi:keyvalue/store')).toBe(true);
    expect(capsAllow(['wasi:keyvalue'], 'wasi:keyvalue@0.2.0/store')).toBe(true);
    expect(capsAllow(['wasi:keyvalue@0.2.0'], 'wasi:keyvaluex/store@0.2.0')).toBe(false);
  });

  it('caps - undefined (no caps claim) allows everything, [] nothing', () => {
    expect(capsAllow(undefined, 'wasi:logging/logging')).toBe(true);
    expect(capsAllow([], 'wasi:logging/logging')).toBe(false);
    expect(importDenied('c', 'wasi:config/store', [])?.code).toBe('HOST_CAPABILITY_DENIED');
    expect(importDenied('c', 'wasi:config/store', ['wasi:config'])).toBeUndefined();
    expect(() => checkImportCaps('c', 'wasi:httpx/x', ['wasi:http'])).toThrow(
      /may not call wasi:httpx\/x.*--cap wasi:httpx/,
    );
  });

  it('caps - a link needs every one of its interfaces allowed', () => {
    expect(() => checkLinkCaps(link('wasi:keyvalue', ['store', 'atomics']), ['wasi:keyvalue'])).not.toThrow();
    expect(() => checkLinkCaps(link('wasi:keyvalue', ['store', 'atomics']), ['wasi:keyvalue/store'])).toThrow(
      /HOST_REFUSED.*may not use wasi:keyvalue/,
    );
    expect(() => checkLinkCaps(link('wasi:keyvalue', ['store']), [])).toThrow(/HOST_REFUSED/);
    expect(() => checkLinkCaps(link('wasi:httpx', ['x']), ['wasi:http'])).toThrow(/HOST_REFUSED/);
    expect(() => checkLinkCaps(link('wasi:keyvalue', ['store']), undefined)).not.toThrow();
  });
});
