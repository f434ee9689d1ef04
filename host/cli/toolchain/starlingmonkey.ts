/** Componentizes a bundled actor with StarlingMonkey (componentize-js 0.19.3, the web APIs built in). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, CliErrorCode } from '../errors.ts';

/** Builds the component of `code` (one bundled ES module) for `world` in the WIT folder `wit`. */
export async function componentizeStarlingMonkey(code: string, wit: string, world: string): Promise<Uint8Array> {
  // componentize-js reads WIT and sources through WASI: build tooling (never guests) gets the host filesystem
  const fs = (await import('@bytecodealliance/preview2-shim/filesystem')) as unknown as {
    _setPreopens: (p: Record<string, string>) => void;
  };
  fs._setPreopens({ '/': '/' });
  const { componentize } = (await import('componentize-js-sm')) as unknown as {
    componentize: (o: { sourcePath: string; witPath: string; worldName: string }) => Promise<{ component: Uint8Array }>;
  };
  const dir = await mkdtemp(join(tmpdir(), 'weft-sm-'));
  try {
    const sourcePath = join(dir, 'actor.js');
    await writeFile(sourcePath, code);
    return (await componentize({ sourcePath, witPath: wit, worldName: world })).component;
  } catch (err) {
    throw new CliError(
      CliErrorCode.Failed,
      `StarlingMonkey build failed: ${String((err as Error).message).split('\n')[0]}`,
      'check the world name in weft.json and the imports in your source',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
