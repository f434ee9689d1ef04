import { headers } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';

/** Header names of lattice calls (nats.js service errors use the same two error headers). */
export const RpcHeader = {
  ErrorCode: 'Nats-Service-Error-Code',
  Error: 'Nats-Service-Error',
  SourceId: 'source-id',
  LinkName: 'link-name',
  TraceParent: 'traceparent',
} as const;

/** A failed lattice call, rebuilt from the reply headers; `code` is the remote error's code. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(`[${code}] ${message}`);
    this.code = code;
  }
}

/** Headers carrying an error (code + one-line message). */
export function errorHeaders(code: string, message: string): MsgHdrs {
  const h = headers();
  h.set(RpcHeader.ErrorCode, code);
  h.set(RpcHeader.Error, message.replace(/[\r\n]+/g, ' ').slice(0, 2000));
  return h;
}

/** The error carried by reply headers, if any. */
export function errorFromHeaders(h: MsgHdrs | undefined): RpcError | undefined {
  const code = h?.get(RpcHeader.ErrorCode);
  if (!code) return undefined;
  return new RpcError(code, (h?.get(RpcHeader.Error) ?? 'remote error').replace(/^\[[A-Z0-9_]+\] /, ''));
}
