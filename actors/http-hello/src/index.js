// HTTP hello-world actor: answers every request with a greeting.
addEventListener('fetch', (event) =>
  event.respondWith(new Response('hello from weft\n', { headers: { 'content-type': 'text/plain' } })),
);
