/** Sources of `weft new actor --template http|kv|messaging`. */
export const TEMPLATES: Record<string, { world: string; source: string; witWorld: string }> = {
  http: {
    world: 'hello',
    witWorld: `world hello {\n  export wasi:http/incoming-handler@0.2.3;\n}\n`,
    source: `// An HTTP actor: answers every request.\naddEventListener('fetch', (event) =>\n  event.respondWith(new Response('hello from NAME\\n', { headers: { 'content-type': 'text/plain' } })),\n);\n`,
  },
  kv: {
    world: 'counter',
    witWorld: `world counter {\n  import wasi:keyvalue/store@0.2.0-draft;\n  import wasi:keyvalue/atomics@0.2.0-draft;\n  export wasi:http/incoming-handler@0.2.3;\n}\n`,
    source: `// A KV counter: GET /counter/{name} increments {name} in the linked key-value store.\nimport { open } from 'wasi:keyvalue/store@0.2.0-draft';\nimport { increment } from 'wasi:keyvalue/atomics@0.2.0-draft';\n\naddEventListener('fetch', (event) => {\n  const m = /^\\/counter\\/([A-Za-z0-9_.-]+)$/.exec(new URL(event.request.url).pathname);\n  if (!m) return event.respondWith(new Response('try GET /counter/{name}\\n', { status: 404 }));\n  const value = increment(open('default'), m[1], 1n);\n  event.respondWith(new Response(\`\${value}\\n\`));\n});\n`,
  },
  messaging: {
    world: 'echo',
    witWorld: `world echo {\n  import wasmcloud:messaging/consumer@0.2.0;\n  export wasmcloud:messaging/handler@0.2.0;\n}\n`,
    source: `// A messaging actor: replies with the body of every message it gets.\nimport { publish } from 'wasmcloud:messaging/consumer@0.2.0';\n\nexport const handler = {\n  handleMessage(msg) {\n    if (msg.replyTo) publish({ subject: msg.replyTo, body: msg.body, replyTo: undefined });\n  },\n};\n`,
  },
};
