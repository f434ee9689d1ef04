/**
 * Worker-side `wasi:http/outgoing-handler`: the guest's requests go to the http-client provider it is linked to.
 *
 * preview2-shim's outgoing types build the request and hand it to `globalThis.fetch` once the guest has finished
 * the body; in guest workers that fetch is replaced by one that sends the request to the host over the link of the
 * invocation that made it (carried by an AsyncLocalStorage), and the buffered answer becomes the guest's
 * incoming-response. Before that, `handle` asks the provider whether the URL's host is allowed, so a denied request
 * is the error value `HTTP-request-denied` the guest can match on.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { httpShim } from './wasi-imports.ts';

/** Calls the host for `iface`.`func` on behalf of the running invocation; rejects with WIT errors. */
type HostCall = (iface: string, func: string, args: unknown[]) => Promise<unknown>;

const IFACE = 'wasi:http/outgoing-handler';
const callOf = new AsyncLocalStorage<HostCall>();
let installed = false;

interface WasiOutgoingRequest {
  scheme(): { tag: string; val?: string } | undefined;
  authority(): string | undefined;
  pathWithQuery(): string | undefined;
}

/** The URL the shim will fetch (same rules: https unless told otherwise). */
function urlOf(req: WasiOutgoingRequest): string {
  const s = req.scheme();
  const scheme = !s
    ? 'https:'
    : s.tag === 'HTTP'
      ? 'http:'
      : s.tag === 'HTTPS'
        ? 'https:'
        : `${(s.val ?? '').toLowerCase()}:`;
  return `${scheme}//${req.authority() ?? ''}${req.pathWithQuery() ?? ''}`;
}

/** Replaces the worker's `fetch` (guest workers run no other fetch) with the host round trip. */
function install(): void {
  if (installed) return;
  installed = true;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const call = callOf.getStore();
    if (!call) throw new Error('outgoing HTTP from a guest worker is only possible through wasi:http/outgoing-handler');
    const headers: [string, string][] = [];
    new Headers(init?.headers).forEach((v, k) => headers.push([k, v]));
    const body =
      init?.body instanceof Uint8Array
        ? init.body
        : init?.body
          ? new Uint8Array(await new Response(init.body).arrayBuffer())
          : undefined;
    const signal = init?.signal;
    const sent = call(IFACE, 'handle', [
      { method: init?.method ?? 'GET', url: String(input), headers, body },
    ]) as Promise<{ status: number; headers: [string, string][]; body: Uint8Array }>;
    // the shim aborts on the guest's request-options timeouts: give up waiting (the provider has its own timeout)
    const aborted = new Promise<never>((_resolve, reject) =>
      signal?.addEventListener('abort', () => reject(new DOMException('the request timed out', 'AbortError')), {
        once: true,
      }),
    );
    const res = await (signal ? Promise.race([sent, aborted]) : sent);
    const nullBody =
      res.status === 204 || res.status === 205 || res.status === 304 || (res.status >= 100 && res.status < 200);
    return new Response(nullBody ? null : (res.body as Uint8Array<ArrayBuffer>), {
      status: res.status,
      headers: res.headers,
    });
  };
}

/**
 * The import object for `wasi:http/outgoing-handler`. `check` fails the invocation when the component has no link
 * for the interface (the router's error names it); `call` rejects normally, so a failed transfer is an error-code.
 */
export async function outgoingHandlerImports(check: HostCall, call: HostCall): Promise<Record<string, unknown>> {
  install();
  const shim = (await httpShim())['outgoingHandler'] as { handle: (req: unknown, opts: unknown) => unknown };
  return {
    [IFACE]: {
      handle: async (req: WasiOutgoingRequest, opts: unknown): Promise<unknown> => {
        await check(IFACE, 'check', [urlOf(req)]);
        return callOf.run(call, () => shim.handle(req, opts));
      },
    },
  };
}
