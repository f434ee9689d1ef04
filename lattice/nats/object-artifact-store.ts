import { jetstream } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import type { ObjectResult } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { objectNameOf } from '../artifact-ref.ts';
import { concatBytes } from '../wasm-bytes.ts';
import type { ArtifactStore } from '../stores/artifact-store.ts';
import { LatticeError, LatticeErrorCode } from '../errors.ts';

/** Artifacts in JetStream Object Store buckets, referenced as `nats://{bucket}/{name}:{tag}`. */
export class NatsArtifactStore implements ArtifactStore {
  readonly #objm: Objm;
  constructor(nc: NatsConnection, jsDomain?: string) {
    this.#objm = new Objm(jetstream(nc, jsDomain ? { domain: jsDomain } : {}));
  }

  /** Stores bytes (creating the bucket when missing); returns the object's digest. */
  async push(
    ref: { bucket: string; name: string; tag: string },
    bytes: Uint8Array,
  ): Promise<{ digest: string; size: number }> {
    try {
      const os = await this.#objm.create(ref.bucket);
      const info = await os.putBlob({ name: objectNameOf(ref) }, bytes);
      return { digest: info.digest, size: info.size };
    } catch (err) {
      throw new LatticeError(LatticeErrorCode.Store, `cannot push to ${ref.bucket}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /**
   * Reads an artifact: its size from `info` first, then the chunks with a running limit, so an oversize object is
   * refused before (not after) it is buffered.
   * @throws {LatticeError} LAT_NOT_FOUND when the bucket or object does not exist; LAT_REFUSED past `maxBytes`.
   */
  async pull(
    ref: { bucket: string; name: string; tag: string },
    maxBytes = Number.POSITIVE_INFINITY,
  ): Promise<Uint8Array> {
    const what = `nats://${ref.bucket}/${objectNameOf(ref)}`;
    const notFound = (detail = '', cause?: unknown) =>
      new LatticeError(LatticeErrorCode.NotFound, `artifact ${what} not found${detail}`, {
        cause,
        hint: 'push it first with `weft push FILE nats://bucket/name:tag`',
      });
    let result: ObjectResult | null;
    try {
      const os = await this.#objm.open(ref.bucket);
      const info = await os.info(objectNameOf(ref));
      if (!info || info.deleted) throw notFound();
      tooLarge(what, info.size, maxBytes);
      result = await os.get(objectNameOf(ref));
    } catch (err) {
      if (err instanceof LatticeError) throw err;
      throw notFound(`: ${(err as Error).message}`, err);
    }
    if (!result) throw notFound();
    return readBounded(what, result, maxBytes);
  }
}

function tooLarge(what: string, size: number, max: number): void {
  if (size > max)
    throw new LatticeError(LatticeErrorCode.Refused, `artifact ${what} is ${size} bytes, over the limit of ${max}`);
}

/** Reads the object's chunks, stopping (and cancelling the read) as soon as they pass `max` (the info may lie). */
async function readBounded(what: string, r: ObjectResult, max: number): Promise<Uint8Array> {
  const reader = r.data.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel().catch(() => undefined);
      tooLarge(what, n, max);
    }
    chunks.push(value);
  }
  const err = await r.error;
  if (err)
    throw new LatticeError(LatticeErrorCode.Store, `cannot read artifact ${what}: ${err.message}`, { cause: err });
  return concatBytes(chunks);
}
