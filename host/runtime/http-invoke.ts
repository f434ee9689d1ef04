/** Runs a component's `wasi:http/incoming-handler.handle` on a plain request object (worker side). */
import { httpShim } from './wasi-imports.ts';

/** An HTTP request as it crosses threads and the lattice (msgpack-friendly). */
export interface HttpRequestData {
  method: string;
  url: string;
  headers: [string, string][];
  body?: Uint8Array;
}

/** An HTTP response as it crosses threads and the lattice. */
export interface HttpResponseData {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** True for an operation naming the incoming-handler export (any 0.2.x version). */
export const isHttpHandle = (op: string): boolean => /^wasi:http\/incoming-handler(@0\.2\.\d+)?\.handle$/.test(op);

/** Calls the handler export with a Web Request built from `req` and returns the buffered response. */
export async function invokeHttp(handler: (req: unknown, out: unknown) => unknown, req: HttpRequestData): Promise<HttpResponseData> {
  const http = await httpShim();
  const handle = http['handleIncomingRequest'] as (r: Request, h: (req: unknown, out: unknown) => Promise<void>) => Promise<Response>;
  const hasBody = req.body && req.body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(req.url, { method: req.method, headers: req.headers, body: hasBody ? (req.body as Uint8Array<ArrayBuffer>) : undefined });
  const res = await handle(request, async (r, out) => {
    await handler(r, out);
  });
  const headers: [string, string][] = [];
  res.headers.forEach((v, k) => headers.push([k, v]));
  return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
}
