/** Port: where `nats://{bucket}/{name}:{tag}` artifacts live (JetStream Object Store in `NatsArtifactStore`). */
export interface ArtifactStore {
  push(ref: { bucket: string; name: string; tag: string }, bytes: Uint8Array): Promise<{ digest: string; size: number }>;
  /** @throws {LatticeError} LAT_NOT_FOUND when there is no such artifact. */
  pull(ref: { bucket: string; name: string; tag: string }): Promise<Uint8Array>;
}
