// Whole wasi:http bodies in and out, for the SDK's HTTP adapter and fetch(). Two things the QuickJS bindings do that
// a reader of the WIT would not expect: a WIT error arrives as `{ payload: value }` (so end-of-stream is
// `{ payload: { tag: 'closed' } }`), and `blocking-read` on a stream that has nothing yet can return no bytes instead
// of waiting, so an empty read waits on the stream's pollable before reading again.
const CHUNK = 4096;

/** The WIT error value of something a binding threw (`{ payload }` on QuickJS, the value itself elsewhere). */
export const witError = (e) => (e && typeof e === 'object' && 'payload' in e ? e.payload : e);

/** All the bytes of an incoming request's or response's body. */
export function readBody(incoming) {
  const body = incoming.consume();
  const stream = body.stream();
  const parts = [];
  let size = 0;
  for (;;) {
    let chunk;
    try {
      chunk = stream.blockingRead(65536);
    } catch (e) {
      if (witError(e)?.tag === 'closed') break;
      throw e;
    }
    if (chunk.length === 0) {
      const ready = stream.subscribe();
      ready.block();
      ready[Symbol.dispose]?.();
      continue;
    }
    parts.push(chunk);
    size += chunk.length;
  }
  stream[Symbol.dispose]?.();
  body[Symbol.dispose]?.();
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

/** Writes `bytes` (may be empty or undefined) to an outgoing body and finishes it. */
export function writeBody(types, body, bytes) {
  if (bytes && bytes.length) {
    const stream = body.write();
    for (let i = 0; i < bytes.length; i += CHUNK) stream.blockingWriteAndFlush(bytes.subarray(i, i + CHUNK));
    stream[Symbol.dispose]?.();
  }
  types.OutgoingBody.finish(body, undefined);
}
