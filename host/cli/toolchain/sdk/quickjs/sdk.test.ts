/**
 * The QuickJS SDK's plain-JS parts, run on Node against fakes of the wasi:http bindings as componentize-qjs shapes
 * them (errors as `{ payload }`, a blocking-read that can come back empty). The engines themselves are covered by
 * test/integration/actor-engines.test.ts.
 */
import { describe, expect, it } from 'vitest';

// imported by a computed path: the SDK is plain JS bundled into components, without declarations for tsc
const load = (f: string): Promise<Record<string, unknown>> => import(new URL(`./${f}`, import.meta.url).href);
const text = (await load('text.js')) as {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new () => { decode(b: Uint8Array): string };
};
const streams = (await load('streams.js')) as {
  readBody(incoming: unknown): Uint8Array;
  writeBody(types: unknown, body: unknown, bytes?: Uint8Array): void;
  witError(e: unknown): unknown;
};
const types = (await load('fetch-types.js')) as {
  LAZY: symbol;
  Headers: new (init?: unknown) => {
    append(k: string, v: string): void;
    entries(): IterableIterator<[string, string]>;
  };
  fieldEntries(h: unknown): [string, Uint8Array][];
  Request: new (
    input: unknown,
    init?: Record<string | symbol, unknown>,
  ) => {
    url: string;
    method: string;
    headers: { get(k: string): string | null };
  };
};

/** An incoming body whose stream yields `script` in order: bytes, 'empty' (no bytes yet), then closed. */
function incoming(script: (Uint8Array | 'empty')[]): { incoming: unknown; polls: () => number } {
  let polls = 0;
  const stream = {
    blockingRead(): Uint8Array {
      const next = script.shift();
      if (next === undefined) throw { payload: { tag: 'closed' } };
      return next === 'empty' ? new Uint8Array(0) : next;
    },
    subscribe: () => ({ block: () => void polls++ }),
  };
  return { incoming: { consume: () => ({ stream: () => stream }) }, polls: () => polls };
}

describe('QuickJS SDK', () => {
  it('text - ASCII and UTF-8 encode and decode as the platform does (lone surrogates to U+FFFD)', () => {
    const enc = new text.TextEncoder();
    const dec = new text.TextDecoder();
    for (const s of ['', 'hello', 'héllo 🌍', 'a\uD800b', 'x'.repeat(10_000), 'é'.repeat(5000)]) {
      const bytes = new TextEncoder().encode(s);
      expect(Buffer.from(enc.encode(s)).equals(Buffer.from(bytes)), s.slice(0, 8)).toBe(true);
      expect(dec.decode(bytes)).toBe(new TextDecoder().decode(bytes));
    }
  });

  it('streams - a body is read to its end: { payload: closed } ends it, an empty read waits on the pollable', () => {
    const body = incoming([new Uint8Array([1, 2]), 'empty', new Uint8Array([3])]);
    expect([...streams.readBody(body.incoming)]).toEqual([1, 2, 3]);
    expect(body.polls()).toBe(1);
    expect(streams.witError({ payload: { tag: 'HTTP-request-denied' } })).toEqual({ tag: 'HTTP-request-denied' });
    expect(streams.witError('plain')).toBe('plain');
  });

  it('streams - another stream error is not taken for the end of the body', () => {
    const stream = {
      blockingRead: () => {
        throw { payload: { tag: 'last-operation-failed' } };
      },
    };
    expect(() => streams.readBody({ consume: () => ({ stream: () => stream }) })).toThrow();
  });

  it('streams - a body is written in chunks and finished; an empty one is only finished', () => {
    const writes: number[] = [];
    let finished = 0;
    const t = { OutgoingBody: { finish: () => void finished++ } };
    const body = { write: () => ({ blockingWriteAndFlush: (b: Uint8Array) => void writes.push(b.length) }) };
    streams.writeBody(t, body, new Uint8Array(10_000));
    streams.writeBody(t, body, undefined);
    expect([writes, finished]).toEqual([[4096, 4096, 1808], 2]);
  });

  it('fetch-types - a lazy Request reads url, method and headers only when asked, once each', () => {
    const calls: string[] = [];
    const lazy = {
      url: () => (calls.push('url'), 'http://h/p?q=1'),
      method: () => (calls.push('method'), 'POST'),
      headers: () => (calls.push('headers'), [['x-a', '1']]),
    };
    const req = new types.Request('', { [types.LAZY]: lazy });
    expect(calls).toEqual([]);
    expect([req.url, req.url, req.method, req.headers.get('x-a'), req.headers.get('X-A')]).toEqual([
      'http://h/p?q=1',
      'http://h/p?q=1',
      'POST',
      '1',
      '1',
    ]);
    expect(calls).toEqual(['url', 'method', 'headers']);
    const copy = new types.Request(req);
    expect([copy.url, copy.method]).toEqual(['http://h/p?q=1', 'POST']);
  });

  it('fetch-types - Headers hold no visible state; fieldEntries gives [name, bytes] as set, iteration stays sorted', () => {
    const h = new types.Headers({ 'X-B': '2', 'content-type': 'text/plain' });
    h.append('x-b', '3');
    expect([Object.keys(h), JSON.stringify(h)]).toEqual([[], '{}']);
    expect([...h.entries()]).toEqual([
      ['content-type', 'text/plain'],
      ['x-b', '2, 3'],
    ]);
    const wire = (init: unknown): [string, string][] =>
      types.fieldEntries(init).map(([k, v]) => [k, Buffer.from(v).toString()]);
    expect(wire(h)).toEqual([
      ['x-b', '2, 3'],
      ['content-type', 'text/plain'],
    ]);
    expect(wire([['A', 'é']])).toEqual([['a', 'é']]);
  });
});
