// wasi:http/incoming-handler from `export default { fetch(request) }` (or a StarlingMonkey-style fetch listener) on
// QuickJS: the wasi:http request becomes a Request, the Response goes back through the response outparam.
import { fetchListeners, settled } from './prelude.js';
import { LAZY, Request, Response, fieldEntries } from './fetch-types.js';
import { readBody, writeBody } from './streams.js';
import { TextDecoder } from './text.js';

function methodOf(m) {
  return m.tag === 'other' ? m.val : m.tag.toUpperCase();
}

/**
 * What a Request reads from the wasi:http incoming-request, on first use (see `LAZY`): one object per request with
 * its methods on the prototype, so a handler that reads nothing costs no closures either.
 */
class IncomingSource {
  constructor(request) {
    this.request = request;
  }
  url() {
    const request = this.request;
    const scheme = request.scheme();
    const proto = !scheme || scheme.tag === 'HTTP' ? 'http' : scheme.tag === 'HTTPS' ? 'https' : scheme.val;
    // the host's wasi:http carries the Host header as the authority (a `fields` refuses `host`)
    return `${proto}://${request.authority() ?? 'localhost'}${request.pathWithQuery() ?? '/'}`;
  }
  method() {
    return methodOf(this.request.method());
  }
  headers() {
    const dec = new TextDecoder();
    return this.request
      .headers()
      .entries()
      .map(([k, v]) => [k, dec.decode(v)]);
  }
  body() {
    return (this.bytes ??= readBody(this.request));
  }
}

function toRequest(request) {
  const source = new IncomingSource(request);
  return new Request('', { [LAZY]: source, readBody: () => source.body() });
}

function respond(types, out, res) {
  if (!(res instanceof Response)) throw new TypeError('the fetch handler must return a Response');
  const outgoing = new types.OutgoingResponse(types.Fields.fromList(fieldEntries(res.headers)));
  if (res.status !== 200) outgoing.setStatusCode(res.status); // a new outgoing-response is 200: one host call less
  const body = outgoing.body();
  types.ResponseOutparam.set(out, { tag: 'ok', val: outgoing });
  writeBody(types, body, res.bodyBytes);
}

/** The incoming-handler export for a user module (`types`: the world's wasi:http/types import). */
export function serveHttp(user, types) {
  return {
    handle(request, out) {
      let res;
      try {
        const req = toRequest(request);
        const fetch = user.default && user.default.fetch;
        if (typeof fetch === 'function') res = settled(fetch.call(user.default, req), 'the fetch handler');
        else if (fetchListeners.length) {
          let answer;
          fetchListeners[0]({ request: req, respondWith: (r) => (answer = r) });
          res = settled(answer, 'the fetch listener');
        } else throw new Error('the actor has no `export default { fetch(request) }` and no fetch listener');
      } catch (e) {
        res = new Response(`actor error: ${e && e.message ? e.message : String(e)}\n`, { status: 500 });
      }
      respond(types, out, res);
    },
  };
}
