// `export default { fetch(request) }` on StarlingMonkey, whose own fetch event serves wasi:http/incoming-handler.
export function serveHttp(user) {
  const handler = user.default;
  if (handler && typeof handler.fetch === 'function')
    addEventListener('fetch', (event) => event.respondWith(handler.fetch(event.request)));
}
