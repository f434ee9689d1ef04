/** Sources of `weft new actor --template http|kv|messaging --lang ts|js`, written against the weft SDK. */
export interface Template {
  world: string;
  witWorld: string;
  /** The source in TypeScript; the JavaScript one is this with the type annotations taken out. */
  source: string;
}

export const LANGS = ['ts', 'js'] as const;
export type Lang = (typeof LANGS)[number];

export const TEMPLATES: Record<string, Template> = {
  http: {
    world: 'hello',
    witWorld: `world hello {\n  export wasi:http/incoming-handler@0.2.3;\n}\n`,
    source: `// An HTTP actor: answers every request.
export default {
  async fetch(request: Request): Promise<Response> {
    return new Response('hello from NAME\\n', { headers: { 'content-type': 'text/plain', 'x-method': request.method } });
  },
};
`,
  },
  kv: {
    world: 'counter',
    witWorld: `world counter {\n  import wasi:keyvalue/store@0.2.0-draft;\n  import wasi:keyvalue/atomics@0.2.0-draft;\n  export wasi:http/incoming-handler@0.2.3;\n}\n`,
    source: `// A KV counter: GET /counter/{name} increments {name} in the linked key-value store.
import { open } from 'wasi:keyvalue/store@0.2.0-draft';
import { increment } from 'wasi:keyvalue/atomics@0.2.0-draft';
import { u64 } from '@weft/sdk';

export default {
  async fetch(request: Request): Promise<Response> {
    const m = /^\\/counter\\/([A-Za-z0-9_.-]+)$/.exec(new URL(request.url).pathname);
    if (!m) return new Response('try GET /counter/{name}\\n', { status: 404 });
    const value = increment(open('default'), m[1] as string, u64(1));
    return new Response(\`\${value}\\n\`);
  },
};
`,
  },
  messaging: {
    world: 'echo',
    witWorld: `world echo {\n  import wasmcloud:messaging/consumer@0.2.0;\n  export wasmcloud:messaging/handler@0.2.0;\n}\n`,
    source: `// A messaging actor: replies with the body of every message it gets.
import { publish } from 'wasmcloud:messaging/consumer@0.2.0';

interface Message {
  subject: string;
  body: Uint8Array;
  replyTo?: string | null;
}

export function handleMessage(msg: Message): void {
  if (msg.replyTo) publish({ subject: msg.replyTo, body: msg.body, replyTo: null });
}
`,
  },
};

/** The template's source for `lang`, with NAME filled in. */
export function templateSource(t: Template, lang: Lang, name: string): string {
  const ts = t.source.replace(/NAME/g, name);
  if (lang === 'ts') return ts;
  return ts
    .replace(/^interface \w+ \{[^}]*\}\n\n/m, '')
    .replace(/\((\w+): [\w<>| ]+\)/g, '($1)')
    .replace(/\): [\w<>| ]+ \{/g, ') {')
    .replace(/ as string/g, '');
}
