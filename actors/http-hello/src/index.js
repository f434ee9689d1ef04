// HTTP hello-world actor: answers every request with a greeting. `x-served-by-instance` counts the requests this
// instance has seen: it stays 1 unless the component runs stateful, because each request gets a fresh (or reset)
// instance and no caller's state reaches the next one. Written against the weft SDK's fetch handler, so it builds on
// QuickJS and StarlingMonkey alike.
let served = 0;

export default {
  fetch() {
    served += 1;
    return new Response('hello from weft\n', {
      headers: { 'content-type': 'text/plain', 'x-served-by-instance': String(served) },
    });
  },
};
