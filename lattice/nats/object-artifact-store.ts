import { jetstream } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { objectNameOf } from '../artifact-ref.ts';
import type { ArtifactStore } from '../stores/artifact-store.ts';
import { LatticeError, LatticeErrorCode } from '../errors.ts';

/** Artifacts in JetStream Object Store buckets, referenced as `nats://{bucket}/{name}:{tag}`. */
export class NatsArtifactStore implements ArtifactStore {
  readonly #objm: Objm;
  constructor(nc: NatsConnection, jsDomain?: string) {
    this.#objm = new Objm(jetstream(nc, jsDomain ? { domain: jsDomain } : {}));
  }

  /** Stores bytes (creating the bucket when missing); returns the object's digest. */
  async push(ref: { bucket: string; name: string; tag: string }, bytes: Uint8Array): Promise<{ digest: string; size: number }> {
    try {
      const os = await this.#objm.create(ref.bucket);
      const info = await os.putBlob({ name: objectNameOf(ref) }, bytes);
      return { digest: info.digest, size: info.size };
    } catch (err) {
      throw new LatticeError(LatticeErrorCode.Store, `cannot push to ${ref.bucket}: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Reads an artifact.
   * @throws {LatticeError} LAT_NOT_FOUND when the bucket or object does not exist.
   */
  async pull(ref: { bucket: string; name: string; tag: string }): Promise<Uint8Array> {
    const what = `nats://${ref.bucket}/${objectNameOf(ref)}`;
    let data: Uint8Array | null;
    try {
      const os = await this.#objm.open(ref.bucket);
      data = await os.getBlob(objectNameOf(ref));
    } catch (err) {
      throw new LatticeError(LatticeErrorCode.NotFound, `artifact ${what} not found: ${(err as Error).message}`, {
        cause: err,
        hint: 'push it first with `weft push FILE nats://bucket/name:tag`',
      });
    }
    if (!data) {
      throw new LatticeError(LatticeErrorCode.NotFound, `artifact ${what} not found`, {
        hint: 'push it first with `weft push FILE nats://bucket/name:tag`',
      });
    }
    return data;
  }
}
