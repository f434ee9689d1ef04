/**
 * One ES module from an actor's source: its TypeScript stripped, its npm imports and the weft SDK bundled in
 * (rolldown), WIT imports (`ns:pkg/iface@ver`) left as imports for the componentizer. A generated entry wraps the
 * author's module with the SDK of the engine: `export default { fetch }` becomes the wasi:http export, and
 * `export function handleMessage` the wasmcloud:messaging handler.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, CliErrorCode } from '../errors.ts';
import type { Engine } from './engines.ts';

const SDK_DIR = fileURLToPath(new URL('./sdk/', import.meta.url));

/** A WIT import specifier: `wasi:http/types@0.2.3`, `weft:actors/greeter@0.1.0` (never `node:`). */
export const WIT_IMPORT = /^(?!node:)[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\//;

const FETCH = '\0weft-fetch.js';

/**
 * On QuickJS, the module that installs `fetch()` over the world's `wasi:http/outgoing-handler` import (imported
 * before the author's module, so its top level sees fetch too), or undefined when the world does not import it.
 */
export function fetchSource(engine: Engine, imported: string[]): string | undefined {
  const out = imported.find((i) => i.startsWith('wasi:http/outgoing-handler'));
  if (engine !== 'quickjs' || !out) return undefined;
  const types = JSON.stringify(out.replace('outgoing-handler', 'types'));
  return [
    `import { handle } from ${JSON.stringify(out)};`,
    `import { Fields, OutgoingRequest, OutgoingBody } from ${types};`,
    `import { installFetch } from ${JSON.stringify(join(SDK_DIR, engine, 'fetch.js'))};`,
    `installFetch({ handle }, { Fields, OutgoingRequest, OutgoingBody });`,
  ].join('\n');
}

/** The entry module that wraps the author's `source` for `engine`, given the interfaces the world exports. */
export function entrySource(source: string, engine: Engine, exported: string[], imported: string[] = []): string {
  const src = JSON.stringify(source);
  const sdk = (f: string): string => JSON.stringify(join(SDK_DIR, engine, f));
  const lines: string[] = [];
  if (engine === 'quickjs') lines.push(`import ${sdk('prelude.js')};`);
  if (fetchSource(engine, imported)) lines.push(`import ${JSON.stringify(FETCH)};`);
  lines.push(`import * as user from ${src};`, `export * from ${src};`);
  const http = exported.find((e) => e.startsWith('wasi:http/incoming-handler'));
  if (http) {
    lines.push(`import { serveHttp } from ${sdk('http.js')};`);
    if (engine === 'quickjs') {
      const types = http.replace('incoming-handler', 'types');
      lines.push(`import types from ${JSON.stringify(types)};`);
      lines.push(`export const incomingHandler = user.incomingHandler ?? serveHttp(user, types);`);
    } else lines.push(`serveHttp(user);`);
  }
  if (exported.some((e) => e.startsWith('wasmcloud:messaging/handler'))) {
    const call =
      engine === 'quickjs'
        ? `import { settled } from ${sdk('prelude.js')};\nconst done = (v) => settled(v, 'handleMessage');`
        : `const done = (v) => v;`;
    lines.push(call, `export const handler = user.handler ?? { handleMessage: (m) => done(user.handleMessage(m)) };`);
  }
  return `${lines.join('\n')}\n`;
}

/** One bundled module and the files it was made of (the author's sources, npm packages, the SDK). */
export interface Bundle {
  code: string;
  /** Absolute paths of every file rolldown read: what `weft build`'s up-to-date check hashes. */
  inputs: string[];
}

/**
 * Bundles `source` (an absolute path) for `engine` into one ES module. QuickJS builds lower async functions to
 * generators (target es2016) so that they run on the SDK's synchronous Promise.
 * @throws {CliError} CLI_FAILED with rolldown's first message when the source does not bundle.
 */
export async function bundleActor(
  source: string,
  engine: Engine,
  exported: string[],
  imported: string[] = [],
): Promise<Bundle> {
  const { rolldown } = await import('rolldown');
  const ENTRY = '\0weft-entry.js';
  try {
    const build = await rolldown({
      input: ENTRY,
      cwd: dirname(source), // module comments name paths relative to this: the bundle (the cache key) is the same anywhere
      platform: 'neutral',
      external: (id) => WIT_IMPORT.test(id),
      resolve: { alias: { '@weft/sdk': join(SDK_DIR, engine, 'index.js') } },
      transform: engine === 'quickjs' ? { target: 'es2016' } : {},
      logLevel: 'silent',
      treeshake: { moduleSideEffects: true },
      plugins: [
        {
          name: 'weft-entry',
          resolveId: (id) => (id === ENTRY || id === FETCH ? id : undefined),
          load: (id) =>
            id === ENTRY
              ? entrySource(source, engine, exported, imported)
              : id === FETCH
                ? fetchSource(engine, imported)
                : undefined,
        },
      ],
    });
    try {
      const { output } = await build.generate({ format: 'esm', codeSplitting: false });
      const inputs = (await build.watchFiles).filter((f) => isAbsolute(f));
      return { code: output[0].code, inputs };
    } finally {
      await build.close();
    }
  } catch (err) {
    throw new CliError(
      CliErrorCode.Failed,
      `bundling ${source} failed: ${String((err as Error).message).split('\n')[0]}`,
      'check the imports of your source (npm packages must be installed in the actor folder)',
    );
  }
}
