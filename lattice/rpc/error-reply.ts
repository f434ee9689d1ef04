/**
 * The one wire form of a failed lattice call, both directions. A coded error is two headers (code + one-line
 * message, `error-headers.ts`) and an empty body. A WIT error value is the same two headers, code `WIT_ERROR` and
 * the value as JSON (what weft has always sent: readable in `nats sub`, and what older weft parses), plus the value
 * msgpack-encoded in the body, as results are: 64-bit integers and byte lists survive, and a value longer than the
 * header's 2,000 characters arrives whole. Reading prefers the body and falls back to the header's JSON.
 */
import type { MsgHdrs } from '@nats-io/transport-node';
import { LatticeErrorCode, RemoteErrorCode } from '../errors.ts';
import { decodeRpc, encodeRpc } from './codec.ts';
import { errorHeaders, RpcError, RpcHeader } from './error-headers.ts';
import { describeWitValue, WitError } from './wit-error.ts';

/** The most bytes a WIT error value may take in a reply, as body or as header JSON (NATS's default max_payload). */
export const MAX_WIT_ERROR_BYTES = 1024 * 1024;

const CODE = /^[A-Za-z0-9_]{1,64}$/;

/** A failure as a reply: body and headers to `respond` with. */
export interface ErrorReply {
  data: Uint8Array;
  headers: MsgHdrs;
}

/**
 * The reply of a failed call: a WitError as its value (see the file header); any other error as its own `code`
 * when it has a well-formed one, else `fallback`, and its message.
 */
export function errorReply(err: unknown, fallback: string): ErrorReply {
  if (err instanceof WitError) return witErrorReply(err.value);
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' && CODE.test(e.code) ? e.code : fallback;
  return {
    data: new Uint8Array(),
    headers: errorHeaders(code, typeof e?.message === 'string' ? e.message : String(err)),
  };
}

/**
 * The headers of {@link errorReply} alone, for replies that carry no body (provider control subjects): a WIT error
 * value then travels as its header JSON, which {@link errorFromReply} reads as well.
 */
export function errorReplyHeaders(err: unknown, fallback: string): MsgHdrs {
  return errorReply(err, fallback).headers;
}

/** The reply carrying WIT error value `value`. A value msgpack cannot encode travels as its header JSON only. */
export function witErrorReply(value: unknown): ErrorReply {
  let data: Uint8Array;
  try {
    data = encodeRpc(value);
  } catch {
    data = new Uint8Array();
  }
  return { data, headers: errorHeaders(RemoteErrorCode.WitError, describeWitValue(value)) };
}

/**
 * The error a reply carries, or undefined for a success: a WitError for `WIT_ERROR`, an RpcError with the remote
 * code for any other. Never throws: a `WIT_ERROR` reply whose value is too large, not msgpack or not JSON (a
 * broken or hostile peer) is an RpcError LAT_BAD_PAYLOAD, so the caller fails the call instead of handing a
 * guest something it did not send.
 */
export function errorFromReply(h: MsgHdrs | undefined, data: Uint8Array): WitError | RpcError | undefined {
  const code = h?.get(RpcHeader.ErrorCode);
  if (!code) return undefined;
  const message = (h?.get(RpcHeader.Error) ?? 'remote error').replace(/^\[[A-Z0-9_]+\] /, '');
  if (code !== RemoteErrorCode.WitError) return new RpcError(code, message);
  const bad = (why: string): RpcError =>
    new RpcError(LatticeErrorCode.BadPayload, `a WIT error reply whose value ${why}; the peer is broken or hostile`);
  if (data.length > MAX_WIT_ERROR_BYTES || message.length > MAX_WIT_ERROR_BYTES)
    return bad(`is over ${MAX_WIT_ERROR_BYTES} bytes`);
  if (data.length > 0) {
    try {
      return new WitError(decodeRpc(data));
    } catch {
      return bad('is not msgpack');
    }
  }
  try {
    return new WitError(JSON.parse(message) as unknown);
  } catch {
    return bad('is not JSON');
  }
}
