/**
 * Error codes a provider puts on its replies, which hosts and components read. The values are shared with the host
 * (`HostErrorCode.LinkNotFound` is the same string), so a caller sees one code for a missing link wherever it was
 * found; a provider names them through this table, never as literals.
 */
export const ProviderWireCode = {
  /** The caller has no link to this provider for the interface it called (wasmCloud's LinkNotFound). */
  LinkNotFound: 'HOST_LINK_NOT_FOUND',
  /** A provider's failure that carries no code of its own. */
  Failed: 'PROVIDER_ERROR',
} as const;
export type ProviderWireCode = (typeof ProviderWireCode)[keyof typeof ProviderWireCode];
