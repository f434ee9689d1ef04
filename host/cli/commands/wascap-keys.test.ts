import { describe, expect, it } from 'vitest';
import { KEY_TYPE_NAMES } from '../../../lattice/wascap/index.ts';
import { KEY_TYPES_HELP } from './wascap-keys.ts';

describe('weft keys', () => {
  it("help lists wascap's key types (kept as text so that loading the CLI loads no nkeys)", () => {
    expect(KEY_TYPES_HELP.split('|')).toEqual(KEY_TYPE_NAMES);
  });
});
