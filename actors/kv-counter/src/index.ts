// KV counter actor (TypeScript): GET /counter/{name} increments the key {name} in the linked key-value store and
// returns it. `u64` gives the engine's u64 (a number on QuickJS, a BigInt on StarlingMonkey).
import { open } from 'wasi:keyvalue/store@0.2.0-draft';
import { increment } from 'wasi:keyvalue/atomics@0.2.0-draft';
import { u64 } from '@weft/sdk';

export default {
  async fetch(request: Request): Promise<Response> {
    const m = /^\/counter\/([A-Za-z0-9_.-]+)$/.exec(new URL(request.url).pathname);
    if (!m) return new Response('try GET /counter/{name}\n', { status: 404 });
    try {
      const value = increment(open('default'), m[1]!, u64(1));
      return new Response(`${value}\n`, { headers: { 'content-type': 'text/plain' } });
    } catch (err) {
      const e = err as { payload?: unknown; tag?: string };
      return new Response(`key-value error: ${JSON.stringify(e?.payload ?? e?.tag ?? String(err))}\n`, { status: 500 });
    }
  },
};
