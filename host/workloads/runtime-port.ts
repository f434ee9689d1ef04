/**
 * What the component manager needs from the component runtime (`host/components`). Kept narrow so the manager's
 * logic (events, limits, serialisation) is independent of how guests are executed.
 */
export interface LoadedArtifact {
  /** sha256 hex of the component bytes. */
  digest: string;
}

export interface RuntimePort<L extends LoadedArtifact = LoadedArtifact> {
  /** Validates and prepares (transpiles, caches) a component. Throws a coded error for a non-component. */
  load(bytes: Uint8Array): Promise<L>;
  /** Starts serving `id` with up to `maxInstances` concurrent instances. */
  start(id: string, loaded: L, opts: { maxInstances: number; env?: Record<string, string>; stateful?: boolean }): Promise<void>;
  /** Changes the concurrency limit of a running component. */
  setMaxInstances(id: string, maxInstances: number): Promise<void> | void;
  /** Swaps in a new version; in-flight calls finish on the old one. */
  update(id: string, loaded: L): Promise<void>;
  /** Calls an export with JSON-mapped args. Throws a coded error on trap, timeout, bad args. */
  invoke(id: string, operation: string, args: unknown[]): Promise<unknown>;
  stop(id: string): Promise<void>;
  close(): Promise<void>;
}

/** Claims summary of a verified component (issue: claims-based security). */
export interface VerifiedComponent {
  /** Subject public key (M…), when signed. */
  publicKey?: string;
  claims?: Record<string, unknown>;
  /** The capability interfaces the claims allow (undefined = not restricted). */
  caps?: string[];
}

/** Port: decides whether a component may run (signature, hash, expiry, issuers, policy). Throws a coded error if not. */
export interface ComponentVerifier {
  verify(bytes: Uint8Array, ctx: { componentId: string; imageRef: string; maxInstances: number; annotations: Record<string, string> }): Promise<VerifiedComponent>;
}
