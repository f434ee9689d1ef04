import { CliError, CliErrorCode } from '../errors.ts';

/** The JS engines `weft build` can put into a component. */
export const ENGINES = ['quickjs', 'starlingmonkey'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * The engine `weft build` uses when neither `--engine` nor `weft.json` names one. QuickJS, by measurement
 * (`npm run bench -- --only=engines`): a sixth of the size, ~6x faster to start, ~2x faster per call and ~2.3x the
 * HTTP req/s of StarlingMonkey; StarlingMonkey stays for actors that need fetch() or web streams.
 */
export const DEFAULT_ENGINE: Engine = 'quickjs';

/** What each engine is, for build output and help. */
export const ENGINE_LABEL: Record<Engine, string> = {
  quickjs: 'QuickJS (componentize-qjs)',
  starlingmonkey: 'StarlingMonkey (componentize-js)',
};

/** `--engine` or `weft.json` `engine` → an Engine. @throws {CliError} CLI_USAGE for another name. */
export function parseEngine(name: unknown, where: string): Engine {
  if (typeof name === 'string' && (ENGINES as readonly string[]).includes(name)) return name as Engine;
  throw new CliError(
    CliErrorCode.Usage,
    `${where}: engine "${String(name)}" is not one of ${ENGINES.join(', ')}`,
    `use ${ENGINES.map((e) => `"${e}"`).join(' or ')}`,
  );
}
