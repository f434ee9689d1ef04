import { RemoteErrorCode } from '../errors.ts';

/**
 * Error codes a provider puts on its replies, which hosts and components read: lattice's `RemoteErrorCode` values
 * (shared with the host's enum), so a caller sees one code for a missing link wherever it was found. A provider
 * names them through this table, never as literals.
 */
export const ProviderWireCode = {
  /** The caller has no link to this provider for the interface it called (wasmCloud's LinkNotFound). */
  LinkNotFound: RemoteErrorCode.LinkNotFound,
  /** A provider's failure that carries no code of its own. */
  Failed: RemoteErrorCode.ProviderError,
} as const;
export type ProviderWireCode = (typeof ProviderWireCode)[keyof typeof ProviderWireCode];
