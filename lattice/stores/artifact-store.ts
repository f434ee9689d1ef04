/** Port: where `nats://{bucket}/{name}:{tag}` artifacts live (JetStream Object Store in `NatsArtifactStore`). */
export interface ArtifactStore {
  push(
    ref: { bucket: string; name: string; tag: string },
    bytes: Uint8Array,
  ): Promise<{ digest: string; size: number }>;
  /**
   * Reads an artifact, refusing it before it is read whole when it is larger than `maxBytes`.
   * @throws {LatticeError} LAT_NOT_FOUND when there is no such artifact; LAT_REFUSED when it is over `maxBytes`.
   */
  pull(ref: { bucket: string; name: string; tag: string }, maxBytes?: number): Promise<Uint8Array>;
}
