import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readActorConfig } from './build-actor.ts';
import { packagesImported, worldImportedPackages } from './world-caps.ts';

const actor = (name: string): string => fileURLToPath(new URL(`../../../actors/${name}/`, import.meta.url));

describe('default caps of weft build', () => {
  it('world caps - the packages a world imports, resolved from its WIT (exports and their own imports included)', async () => {
    const dir = actor('config-logger');
    expect(await worldImportedPackages(dir, await readActorConfig(dir))).toEqual(['wasi:config', 'wasi:logging']);
    const kv = actor('kv-counter');
    // kv-counter imports wasi:keyvalue; its wasi:http export brings the wasi:http types and their io/clocks
    expect(await worldImportedPackages(kv, await readActorConfig(kv))).toEqual([
      'wasi:clocks',
      'wasi:http',
      'wasi:io',
      'wasi:keyvalue',
    ]);
  });

  it('world caps - import lines to packages, deduplicated; inline interfaces and exports are not packages', () => {
    const wit =
      'world root {\n  import wasi:io/poll@0.2.3;\n  import wasi:io/streams@0.2.3;\n  import my-api: interface { f: func(); }\n  export wasi:http/incoming-handler@0.2.3;\n}';
    expect(packagesImported(wit)).toEqual(['wasi:io']);
  });
});
