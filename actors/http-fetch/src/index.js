// HTTP proxy actor: `GET /?url=URL` fetches URL through wasi:http/outgoing-handler (the http-client provider it is
// linked to) and answers with the upstream status and body; any other method forwards its body upstream too.
// A request the provider refuses (host not on the link's allowed_hosts) answers 502 with the error.
addEventListener('fetch', (event) => event.respondWith(proxy(event.request)));

async function proxy(request) {
  const target = new URL(request.url).searchParams.get('url');
  if (!target) return new Response('usage: /?url=URL\n', { status: 400 });
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
