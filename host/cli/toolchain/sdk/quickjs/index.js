// `@weft/sdk` on QuickJS: helpers whose value differs between the engines.
/** The engine this build runs on. */
export const engine = 'quickjs';
/** A WIT u64/s64 argument: a number on QuickJS (exact to 2^53), a BigInt on StarlingMonkey. */
export const u64 = (n) => Number(n);
