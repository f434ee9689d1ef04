import { concatBytes } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';

/** Room left in a lattice message for the rest of the request (method, URL, headers) and the RPC headers. */
const ENVELOPE = 64 * 1024;

/**
 * For a call over the lattice: reads a streamed HTTP request body into the request (`args[0].body`). The call
 * travels in one NATS message, so the body must fit in the server's `max_payload` (1 MiB by default).
 * @throws {HostError} HOST_BODY_TOO_LARGE past `maxPayload` less room for the envelope.
 */
export async function withCollectedBody(
  args: unknown[],
  body: AsyncIterable<Uint8Array> | undefined,
  maxPayload: number,
): Promise<unknown[]> {
  if (!body) return args;
  const max = Math.max(maxPayload - ENVELOPE, 0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of body) {
    size += c.byteLength;
    if (size > max)
      throw new HostError(
        HostErrorCode.BodyTooLarge,
        `the request body is over ${max} bytes, the most a call to a component on another host carries (NATS max_payload ${maxPayload}); run the component on the host that serves HTTP, where bodies stream without a limit`,
      );
    chunks.push(c);
  }
  return [{ ...(args[0] as object), body: concatBytes(chunks) }, ...args.slice(1)];
}
