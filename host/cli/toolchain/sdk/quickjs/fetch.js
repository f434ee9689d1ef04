// fetch() for QuickJS actors whose world imports wasi:http/outgoing-handler: the Request becomes an outgoing-request,
// the call blocks on the response's pollable (the host suspends the guest meanwhile) and the whole body is read into
// the Response. Bodies are byte arrays (no streams on QuickJS yet); the returned promise is already settled, so
// `await fetch(url)` continues within the same call.
import { Request, Response } from './fetch-types.js';
import { readBody, witError, writeBody } from './streams.js';
import { TextDecoder, TextEncoder } from './text.js';
import { URL } from './url.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

function methodOf(m) {
  return METHODS.has(m) ? { tag: m.toLowerCase() } : { tag: 'other', val: m };
}

function schemeOf(protocol) {
  if (protocol === 'http:') return { tag: 'HTTP' };
  if (protocol === 'https:') return { tag: 'HTTPS' };
  return { tag: 'other', val: protocol.slice(0, -1) };
}

/** A wasi:http error-code (or other thrown value) as a TypeError, as fetch() fails on a network error. */
function failure(thrown) {
  if (thrown instanceof Error) return thrown;
  const e = witError(thrown);
  const what = e && e.tag ? `${e.tag}${e.val !== undefined ? ` ${JSON.stringify(e.val)}` : ''}` : String(e);
  return new TypeError(`fetch failed: ${what}`);
}

function send(handler, types, input, init) {
  const req = input instanceof Request && !init ? input : new Request(input, init ?? {});
  const url = new URL(req.url);
  const enc = new TextEncoder();
  const out = new types.OutgoingRequest(types.Fields.fromList([...req.headers].map(([k, v]) => [k, enc.encode(v)])));
  if (req.method !== 'GET') out.setMethod(methodOf(req.method));
  out.setScheme(schemeOf(url.protocol));
  out.setAuthority(url.host);
  out.setPathWithQuery(`${url.pathname}${url.search}`);
  const body = out.body();
  let future;
  try {
    future = handler.handle(out, undefined);
  } catch (e) {
    throw failure(e);
  }
  writeBody(types, body, req.method === 'GET' || req.method === 'HEAD' ? undefined : req.takeBytes());
  future.subscribe().block();
  const got = future.get();
  // option<result<result<incoming-response, error-code>>>
  if (!got || got.tag === 'err') throw new TypeError('fetch failed: the response was already taken');
  const answer = got.val;
  if (answer.tag === 'err') throw failure(answer.val);
  const incoming = answer.val;
  const dec = new TextDecoder();
  const headers = incoming
    .headers()
    .entries()
    .map(([k, v]) => [k, dec.decode(v)]);
  const status = incoming.status();
  const bytes = req.method === 'HEAD' ? new Uint8Array(0) : readBody(incoming);
  const res = new Response(bytes, { status, headers });
  res.url = url.href;
  return res;
}

/** Installs the global fetch() over the world's outgoing-handler import and its wasi:http types. */
export function installFetch(handler, types) {
  globalThis.fetch = (input, init) => {
    try {
      return Promise.resolve(send(handler, types, input, init));
    } catch (e) {
      return Promise.reject(failure(e));
    }
  };
}
