// HTTP proxy actor. `GET /?url=URL` fetches URL through wasi:http/outgoing-handler (the http-client provider it is
// linked to) and answers with the upstream status and body; other methods forward their body upstream too. A
// request the provider refuses (host not on the link's allowed_hosts) answers 502 with the error.
// On QuickJS (no web streams yet) only `/?url=` runs; the streaming routes below need StarlingMonkey.
// `GET /stream?url=URL` streams: it sends `before\n` at once, then fetches URL and sends its body.
// `POST /count` answers the number of bytes in the request body (read part by part).
// `POST /echo-stream` answers `got CHUNK\n` for each part of the request body as it arrives, then `end\n`.
addEventListener('fetch', (event) => event.respondWith(route(event.request)));

async function route(request) {
  const url = new URL(request.url);
  if (url.pathname === '/echo-stream') return echoStream(request);
  if (url.pathname === '/count') return count(request);
  const target = url.searchParams.get('url');
  if (!target) return new Response('usage: /?url=URL or /stream?url=URL\n', { status: 400 });
  return url.pathname === '/stream' ? stream(target) : proxy(request, target);
}

async function proxy(request, target) {
  try {
    const init = { method: request.method, headers: { 'x-proxied-by': 'weft-http-fetch' } };
    if (request.method !== 'GET' && request.method !== 'HEAD') init.body = await request.arrayBuffer();
    const upstream = await fetch(target, init);
    const body = await upstream.arrayBuffer();
    return new Response(body, { status: upstream.status, headers: { 'x-upstream-status': String(upstream.status) } });
  } catch (err) {
    return new Response(`fetch failed: ${err && err.message ? err.message : String(err)}\n`, { status: 502 });
  }
}

async function count(request) {
  const reader = request.body.getReader();
  let n = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.byteLength;
  return new Response(`${n}\n`);
}

function echoStream(request) {
  const reader = request.body.getReader();
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const body = new ReadableStream({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) {
        controller.enqueue(enc.encode('end\n'));
        controller.close();
      } else controller.enqueue(enc.encode(`got ${dec.decode(value)}\n`));
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/plain' } });
}

function stream(target) {
  const enc = new TextEncoder();
  const body = new ReadableStream({
    async start(controller) {
      controller.enqueue(enc.encode('before\n'));
      try {
        const upstream = await fetch(target, { headers: { 'x-proxied-by': 'weft-http-fetch' } });
        controller.enqueue(new Uint8Array(await upstream.arrayBuffer()));
      } catch (err) {
        controller.enqueue(enc.encode(`fetch failed: ${err && err.message ? err.message : String(err)}\n`));
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/plain' } });
}
