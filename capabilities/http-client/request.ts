/**
 * One outgoing request with `node:http` / `node:https`, connecting only to addresses the caller's `lookup` lets
 * through (the address check happens at connect time, on the addresses DNS gave for this connection, so a name that
 * rebinds to a private address between `check` and `handle` is still refused). The response body is read up to a cap.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { concatBytes } from '../../lattice/index.ts';
import { WitError } from '../sdk/index.ts';

// getBuiltinModule, not an ESM import of node:http, which loads undici (~12 MB): see host/admin/admin-server.ts
const { request: httpRequest } = process.getBuiltinModule('node:http');

/** An outgoing request as the guest worker sends it (the URL already holds scheme, authority and path). */
export interface OutgoingRequestData {
  method: string;
  url: string;
  headers: [string, string][];
  body?: Uint8Array | null;
  /** The guest's `request-options` (connect / first-byte timeouts), in ms. */
  timeoutMs?: number;
}

/** The response handed back to the guest (buffered). */
export interface IncomingResponseData {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** The error `lookup` fails a connection with when no address of the name may be reached. */
export const REFUSED = 'WEFT_DESTINATION_REFUSED';

/** Says why `address` may not be reached (the caller logs it), or `undefined` when it may. */
export type AddressCheck = (address: string) => string | undefined;

export interface SendOptions {
  agents: { http: HttpAgent; https: HttpsAgent };
  /** Checked on every address DNS returns, before connecting. */
  checkAddress: AddressCheck;
  timeoutMs: number;
  maxBody: number;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and `host`: the connection's own business, never copied from the guest. */
const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  'content-length',
]);

/** A `lookup` that resolves as usual and keeps only the addresses `check` allows; none left fails with {@link REFUSED}. */
export function guardedLookup(check: AddressCheck): LookupFunction {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const reasons: string[] = [];
      const ok = addresses.filter((a) => {
        const why = check(a.address);
        if (why) reasons.push(`${a.address} (${why})`);
        return !why;
      });
      if (ok.length === 0) {
        const e: NodeJS.ErrnoException = Object.assign(
          new Error(`${hostname} resolves only to refused addresses: ${reasons.join(', ')}`),
          { code: REFUSED },
        );
        return callback(e, '');
      }
      if (options.all) return callback(null, ok);
      callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}

/** Sends `req` to `url` (already allowed by name; an IP literal already checked) and reads the answer. */
export function send(req: OutgoingRequestData, url: URL, o: SendOptions): Promise<IncomingResponseData> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  const hasBody = req.body && req.body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
  const headers = ['host', url.host];
  for (const [k, v] of req.headers) if (!HOP.has(k.toLowerCase())) headers.push(k, v);
  if (hasBody) headers.push('content-length', String(req.body!.length));
  const https = url.protocol === 'https:';
  const options = {
    method: req.method,
    headers,
    signal,
    lookup: guardedLookup(o.checkAddress),
    agent: https ? o.agents.https : o.agents.http,
  };
  return new Promise((resolve, reject) => {
    const cr = https ? httpsRequest(url, options) : httpRequest(url, options);
    cr.once('error', (err) => reject(new WitError(errorCode(err, signal.aborted ? 'connection-timeout' : undefined))));
    cr.once('response', (res) => {
      readCapped(res, o.maxBody, signal).then(
        (body) => resolve({ status: res.statusCode ?? 502, headers: responseHeaders(res), body }),
        (err: unknown) =>
          reject(
            err instanceof WitError
              ? err
              : new WitError(errorCode(err, signal.aborted ? 'HTTP-response-timeout' : 'HTTP-response-incomplete')),
          ),
      );
    });
    cr.end(hasBody ? req.body : undefined);
  });
}

/** The response's headers as the guest gets them: lower-case names, repeats kept, hop-by-hop ones dropped. */
function responseHeaders(res: IncomingMessage): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    const k = (res.rawHeaders[i] ?? '').toLowerCase();
    if (k !== 'content-length' && HOP.has(k)) continue;
    out.push([k, res.rawHeaders[i + 1] ?? '']);
  }
  return out;
}

/** Reads a response body, refusing one above `max` bytes (`HTTP-response-body-size`). */
async function readCapped(res: IncomingMessage, max: number, signal: AbortSignal): Promise<Uint8Array> {
  const declared = Number(res.headers['content-length']);
  if (declared > max) {
    res.destroy();
    throw new WitError({ tag: 'HTTP-response-body-size', val: declared });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > max) {
      res.destroy();
      throw new WitError({ tag: 'HTTP-response-body-size', val: size });
    }
    chunks.push(chunk);
  }
  if (signal.aborted) throw new WitError({ tag: 'HTTP-response-timeout' });
  return concatBytes(chunks);
}

/** Maps a `node:http` failure to a `wasi:http` error-code (`aborted`: the tag when the timeout cut it). */
export function errorCode(err: unknown, aborted?: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return { tag: aborted ?? 'connection-timeout' };
  switch (e.code) {
    case REFUSED:
      return { tag: 'HTTP-request-denied' };
    case 'ECONNREFUSED':
      return { tag: 'connection-refused' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { tag: aborted === 'HTTP-response-incomplete' ? aborted : 'connection-terminated' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return { tag: 'DNS-error', val: { rcode: e.code, infoCode: undefined } };
    case 'ETIMEDOUT':
      return { tag: 'connection-timeout' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { tag: 'destination-unavailable' };
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_HEADER_TOKEN':
      return { tag: 'HTTP-protocol-error' };
    default:
      if (/CERT|SELF_SIGNED|ERR_TLS_CERT/.test(e.code ?? '')) return { tag: 'TLS-certificate-error' };
      if (e.code?.startsWith('ERR_SSL') || e.code?.startsWith('ERR_TLS')) return { tag: 'TLS-protocol-error' };
      return { tag: 'internal-error', val: e.message };
  }
}
