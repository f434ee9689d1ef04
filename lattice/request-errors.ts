import { LatticeError, LatticeErrorCode } from './errors.ts';

/**
 * A failed NATS request as a {@link LatticeError}, classified with nats.js v3's typed errors (`TimeoutError`,
 * `NoRespondersError` or a `RequestError` caused by one, the connection errors, `PermissionViolationError`), never
 * by the text of a message. nats.js is imported here only when a request has failed, so that the CLI's light entry
 * (`lattice/client.ts`) loads no NATS code before it connects.
 */
export async function toLatticeError(err: unknown, subject: string): Promise<LatticeError> {
  if (err instanceof LatticeError) return err;
  const { errors } = await import('@nats-io/transport-node');
  const noResponders =
    err instanceof errors.NoRespondersError || (err instanceof errors.RequestError && err.isNoResponders());
  if (noResponders)
    return new LatticeError(LatticeErrorCode.NoResponders, `no host answered on ${subject}`, {
      cause: err,
      hint: 'is a host running on this lattice? start one with `weft up`, check --lattice and --nats-url',
    });
  if (
    err instanceof errors.TimeoutError ||
    (err instanceof errors.RequestError && err.cause instanceof errors.TimeoutError)
  )
    return new LatticeError(LatticeErrorCode.Timeout, `request on ${subject} timed out`, {
      cause: err,
      hint: 'the host may be busy or gone; run `weft get hosts`',
    });
  if (err instanceof errors.PermissionViolationError)
    return new LatticeError(LatticeErrorCode.Permission, `the NATS server refused ${err.operation} on ${err.subject}`, {
      cause: err,
      hint: 'the NATS user of this connection lacks the permission; check its credentials (--nats-creds)',
    });
  const text = err instanceof Error ? err.message : String(err);
  return new LatticeError(LatticeErrorCode.Connect, `request on ${subject} failed: ${text}`, {
    cause: err,
    hint: 'check the NATS connection (--nats-url, credentials)',
  });
}
