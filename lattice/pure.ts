/**
 * @module lattice/pure
 * The pure entry of lattice/: functions of their arguments only (WIT names, Wasm bytes, the error codes and WitError), with no NATS, no I/O and
 * no state, so a guest worker thread loads them in a few milliseconds instead of the whole barrel (`index.ts`:
 * nats.js, JetStream, msgpackr, about 450 ms and 45 MB per thread on a loaded machine). `host/runtime/` takes its
 * lattice values from here (ESLint holds it); the modules behind it import nothing (ESLint holds that too).
 *
 * ```ts
 * import { splitOperation, unversioned } from '../../lattice/pure.ts';
 * splitOperation('wasi:keyvalue/store@0.2.0-draft.open'); // { iface: 'wasi:keyvalue/store@0.2.0-draft', func: 'open' }
 * unversioned('wasi:cli/stdout@0.2.3'); // 'wasi:cli/stdout'
 * ```
 */
export { unversioned, parseWitName, splitOperation, witPackageOf } from './wit-names.ts';
export { wasmKindOf } from './wasm-kind.ts';
export { RemoteErrorCode } from './errors.ts';
export { WitError } from './rpc/wit-error.ts';
export { settleWithin } from './settle-within.ts';
export { concatBytes, encodeLeb128, readLeb128, skipSleb128, wasmSections } from './wasm-bytes.ts';

export type { WitName } from './wit-names.ts';
export type { WasmKind } from './wasm-kind.ts';
