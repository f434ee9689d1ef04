/** The component manager's steps that need no state of its own: fetching, checking and loading an artifact; events. */
import { wasmKindOf } from '../../lattice/index.ts';
import type { ArtifactStore } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import { fetchResolvedArtifact, type FetchArtifactOptions } from './artifact-loader.ts';
import type { ComponentVerifier, LoadedArtifact, RuntimePort, VerifiedComponent } from './runtime-port.ts';

/** What preparing needs: the manager's limits and switches, and its runtime, verifier and artifact store. */
export interface PrepareDeps extends Pick<FetchArtifactOptions, 'allowFileLoad' | 'oci'> {
  maxComponentSizeBytes: number;
  artifacts?: ArtifactStore;
  verifier: ComponentVerifier;
  runtime: RuntimePort;
}

/**
 * Fetches `ref`, refuses what is not a Wasm component, verifies its claims and loads it into the runtime.
 * @throws {HostError} HOST_REFUSED for a core module or a non-Wasm file; the fetch's and the verifier's coded errors.
 */
export async function prepareComponent(
  d: PrepareDeps,
  ref: string,
  id: string,
  maxInstances: number,
  annotations: Record<string, string>,
) {
  const { bytes, imageDigest } = await fetchResolvedArtifact(ref, {
    allowFileLoad: d.allowFileLoad,
    oci: d.oci,
    maxBytes: d.maxComponentSizeBytes,
    store: d.artifacts,
    annotations,
  });
  const kind = wasmKindOf(bytes);
  if (kind !== 'component') {
    throw new HostError(
      HostErrorCode.Refused,
      kind === 'module'
        ? `${ref} is a core Wasm module, not a component; build it as a component`
        : `${ref} is not a Wasm component (bad magic or version)`,
    );
  }
  const verified = await d.verifier.verify(bytes, { componentId: id, imageRef: ref, maxInstances, annotations });
  const loaded: LoadedArtifact = await d.runtime.load(bytes);
  return { bytes, verified, loaded, imageDigest };
}

/** The data of a `component_scaled` event. */
export function scaledEvent(
  hostId: string,
  id: string,
  ref: string,
  max: number,
  annotations: Record<string, string>,
  v: VerifiedComponent,
  reason?: string,
): Record<string, unknown> {
  return {
    component_id: id,
    image_ref: ref,
    host_id: hostId,
    max_instances: max,
    annotations,
    ...(v.publicKey ? { public_key: v.publicKey, claims: v.claims } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** The data of a `component_scale_failed` event. */
export function failedEvent(
  hostId: string,
  id: string,
  ref: string,
  max: number,
  annotations: Record<string, string>,
  err: unknown,
): Record<string, unknown> & { error: string } {
  const error = (err as Error)?.message ?? String(err);
  return { component_id: id, image_ref: ref, host_id: hostId, max_instances: max, annotations, error };
}
