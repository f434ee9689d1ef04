/**
 * Bodies of registry requests and answers: a bounded read (refused by `Content-Length` before reading, and again
 * while streaming), failures while reading mapped to coded errors, and byte progress both ways.
 */
import { OciError, OciErrorCode } from './errors.ts';

/** Bytes moved so far of `total`. */
export type ByteProgress = (done: number, total: number) => void;

/** Uploads are sent in slices of this size (what progress output counts in). */
const UPLOAD_SLICE = 256 * 1024;

export function tooLarge(ref: string, what: string, max: number): OciError {
  return new OciError(OciErrorCode.TooLarge, `${ref}: ${what}, over the limit of ${max} bytes`, {
    ref,
    hint: 'raise the limit (the host: --max-component-size-bytes) if this artifact is expected',
  });
}

/**
 * Reads a body up to `limit` bytes; more (by Content-Length or while streaming) is refused with `over()`, the rest
 * cancelled. A read that fails (the time ran out mid-body, the connection broke) is thrown as `failed(err)`.
 */
export async function readBody(
  res: Response,
  limit: number,
  over: () => OciError,
  failed: (err: unknown) => OciError,
  onProgress?: (n: number) => void,
): Promise<Uint8Array> {
  const len = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(len) && len > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw over();
  }
  const chunks: Uint8Array[] = [];
  let n = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (err) {
        throw failed(err);
      }
      if (step.done) break;
      n += step.value.length;
      if (n > limit) {
        await reader.cancel().catch(() => undefined);
        throw over();
      }
      chunks.push(step.value);
      onProgress?.(n);
    }
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * The body of a blob upload: the bytes as they are, or, with `onProgress`, a stream of slices that reports each one
 * as the connection takes it (sent with its `Content-Length`, so the registry sees a plain monolithic PUT).
 */
export function uploadBody(
  bytes: Uint8Array,
  onProgress?: ByteProgress,
): { body: BodyInit; init: { duplex?: 'half' } } {
  if (!onProgress) return { body: bytes as Uint8Array<ArrayBuffer>, init: {} };
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) {
        c.close();
        return;
      }
      const next = Math.min(at + UPLOAD_SLICE, bytes.length);
      c.enqueue(bytes.subarray(at, next));
      at = next;
      onProgress(at, bytes.length);
    },
  });
  return { body, init: { duplex: 'half' } };
}
