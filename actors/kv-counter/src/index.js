// KV counter actor: GET /counter/{name} increments the key {name} in the linked key-value store and returns it.
import { open } from 'wasi:keyvalue/store@0.2.0-draft';
import { increment } from 'wasi:keyvalue/atomics@0.2.0-draft';

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

function handle(request) {
  const path = new URL(request.url).pathname;
  const m = /^\/counter\/([A-Za-z0-9_.-]+)$/.exec(path);
  if (!m) return new Response('try GET /counter/{name}\n', { status: 404 });
  try {
    const bucket = open('default');
    const value = increment(bucket, m[1], 1n);
    return new Response(`${value}\n`, { headers: { 'content-type': 'text/plain' } });
  } catch (err) {
    return new Response(`key-value error: ${JSON.stringify(err?.payload ?? String(err))}\n`, { status: 500 });
  }
}
