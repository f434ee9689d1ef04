// Types of `@weft/sdk`, the helpers bundled into every actor (sdk/quickjs/index.js, sdk/starlingmonkey/index.js).
// `weft new actor --lang ts` and `weft build` copy this file into the actor's generated types (wit/gen/).
declare module '@weft/sdk' {
  /** The engine this build runs on. */
  export const engine: 'quickjs' | 'starlingmonkey';
  /**
   * A WIT u64/s64 argument: a number on QuickJS (exact to 2^53), a BigInt on StarlingMonkey. Typed as the bigint
   * that the generated WIT types ask for, so one source type-checks and runs on both engines.
   */
  export function u64(n: number | bigint): bigint;
}
