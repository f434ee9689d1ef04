// HTTP hello-world actor: answers every request with a greeting. `x-served-by-instance` counts the requests this
// instance has seen: it stays 1 unless the component runs stateful, because each request gets a fresh (or reset)
// instance and no caller's state reaches the next one.
let served = 0;
addEventListener('fetch', (event) => {
  served += 1;
  event.respondWith(
    new Response('hello from weft\n', {
      headers: { 'content-type': 'text/plain', 'x-served-by-instance': String(served) },
    }),
  );
});
