import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryConfigStore, WitError } from '../../lattice/index.ts';
import type { ConfigStore } from '../../lattice/index.ts';
import { serveHostImport } from './host-imports.ts';

async function deps(names: string[] | undefined, config: ConfigStore = new MemoryConfigStore()) {
  await config.put('base', { url: 'a', mode: 'x' });
  await config.put('over', { mode: 'y' });
  const lines: unknown[] = [];
  const logger = pino({ level: 'trace' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { d: { logger, config, configNamesOf: () => names }, lines };
}

describe('host imports', () => {
  it('wasi:config/store get/get-all - the component configs merged left to right', async () => {
    const { d } = await deps(['base', 'over', 'gone']);
    expect(await serveHostImport(d, 'c', 'wasi:config/store@0.2.0-draft', 'get', ['mode'])).toBe('y');
    expect(await serveHostImport(d, 'c', 'wasi:config/store', 'get', ['nope'])).toBeUndefined();
    expect(await serveHostImport(d, 'c', 'wasi:config/store', 'get', ['toString'])).toBeUndefined();
    expect(await serveHostImport(d, 'c', 'wasi:config/runtime', 'get-all', [])).toEqual([
      ['url', 'a'],
      ['mode', 'y'],
    ]);
  });

  it('wasi:config - no configs: nothing; an unknown function or a store failure is a WIT error', async () => {
    const { d } = await deps(undefined);
    expect(await serveHostImport(d, 'c', 'wasi:config/store', 'get-all', [])).toEqual([]);
    await expect(serveHostImport(d, 'c', 'wasi:config/store', 'set', [])).rejects.toBeInstanceOf(WitError);
    const failing = { ...d, configNamesOf: () => ['x'], config: { get: () => Promise.reject(new Error('kv down')) } };
    await expect(serveHostImport(failing as never, 'c', 'wasi:config/store', 'get', ['a'])).rejects.toMatchObject({
      value: { tag: 'upstream', val: 'kv down' },
    });
  });

  it('wasi:logging - logs at the level, tagged with the component, control characters stripped', async () => {
    const { d, lines } = await deps([]);
    await serveHostImport(d, 'comp-1', 'wasi:logging/logging', 'log', ['warn', 'ctx', 'hello\x1b[31m']);
    await serveHostImport(d, 'comp-1', 'wasi:logging/logging', 'log', ['critical', 'ctx', 'bad']);
    expect(lines).toMatchObject([
      { level: 40, component_id: 'comp-1', context: 'ctx' },
      { level: 60, msg: 'bad' },
    ]);
    expect(JSON.stringify(lines[0])).not.toContain('\x1b');
  });

  it('other interfaces are not host-internal: undefined', async () => {
    const { d } = await deps([]);
    expect(serveHostImport(d, 'c', 'wasi:keyvalue/store', 'get', [])).toBeUndefined();
  });
});
