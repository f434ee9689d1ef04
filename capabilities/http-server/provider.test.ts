import { request } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { HttpServerProvider } from './provider.ts';

/**
 * The provider with a stand-in for the host's `invoke`: the "component" reads the whole streamed body and answers
 * the URL it was given and the byte count (a broken body fails the call, as a guest that traps on it would).
 */
interface Setup {
  port: number;
  calls: string[];
  warnings: string[];
  put: (name: string, cfg: Record<string, string>) => Promise<void>;
  stop: () => Promise<void>;
}
let running: Setup | undefined;
afterEach(async () => running?.stop());

async function setup(): Promise<Setup> {
  const port = await freePort();
  const calls: string[] = [];
  const warnings: string[] = [];
  const p = new HttpServerProvider();
  const invoke = async (
    target: string,
    _op: string,
    args: unknown[],
    opts?: { httpBody?: AsyncIterable<Uint8Array> },
  ): Promise<unknown> => {
    const url = (args[0] as { url: string }).url;
    calls.push(`${target} ${url}`);
    let n = 0;
    for await (const c of opts?.httpBody ?? []) n += c.byteLength;
    return {
      status: 200,
      headers: [['content-type', 'text/plain']],
      body: new TextEncoder().encode(`${target} ${url} ${n}`),
    };
  };
  const log = {
    info: () => undefined,
    warn: (o: unknown, m: string) => warnings.push(`${m} ${JSON.stringify(o)}`),
    error: () => undefined,
  };
  p.init({ providerId: 'http', hostId: 'H', lattice: 'l', config: {}, log, invoke } as unknown as ProviderContext);
  const put = (name: string, cfg: Record<string, string>): Promise<void> =>
    p.onLinkAsSource({
      source_id: 'http',
      target: name,
      name,
      wit_namespace: 'wasi',
      wit_package: 'http',
      interfaces: ['incoming-handler'],
      source_config: [],
      target_config: [],
      source_config_values: { address: `127.0.0.1:${port}`, ...cfg },
      target_config_values: {},
    } satisfies ResolvedLink);
  running = { port, calls, warnings, put, stop: () => p.shutdown() };
  return running;
}

/** Sends raw bytes and resolves with everything the server wrote back before it closed the connection. */
function raw(port: number, data: string, keepOpen = false): { socket: Socket; reply: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.write(data);
  const reply = new Promise<string>((resolve) => {
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(out));
  });
  if (!keepOpen) socket.end();
  return { socket, reply };
}
const statusOf = (reply: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);

describe('in-host http-server', () => {
  it('routes by Host case-insensitively (port, trailing dot, IPv6) and puts only a checked authority in the guest URL', async () => {
    const s = await setup();
    await s.put('a', { host: 'a.example' });
    await s.put('v6', { host: '[::1]' });
    await s.put('d', {});
    // fetch() will not send a Host of its own: node:http does
    const get = (host: string): Promise<string> =>
      new Promise((resolve, reject) => {
        request({ host: '127.0.0.1', port: s.port, path: '/p?q=1', headers: { host } }, (res) => {
          let out = '';
          res.on('data', (c: Buffer) => (out += c.toString()));
          res.on('end', () => resolve(out));
        })
          .on('error', reject)
          .end();
      });
    expect(await get('A.EXAMPLE.:8080')).toBe('a http://a.example:8080/p?q=1 0');
    expect(await get('[::1]')).toBe('v6 http://[::1]/p?q=1 0');
    // an unknown host reaches the default route, and the guest sees the listener address, not the client's Host
    expect(await get('evil.test')).toBe(`d http://127.0.0.1:${s.port}/p?q=1 0`);
    const bad = await raw(s.port, 'GET / HTTP/1.1\r\nHost: a.example@evil.test\r\n\r\n').reply;
    expect(statusOf(bad)).toBe(400);
    expect(s.calls).toHaveLength(3);
  });

  it('max_body_bytes: a declared length above it gets 413 without a call; a chunked body past it gets 413; below it passes', async () => {
    const s = await setup();
    await s.put('d', { max_body_bytes: '1000' });
    const declared = await fetch(`http://127.0.0.1:${s.port}/`, { method: 'POST', body: new Uint8Array(1001) });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toMatch(/max_body_bytes \(1000\)/);
    expect(s.calls).toHaveLength(0);
    const chunked = `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${'258\r\n' + 'a'.repeat(600) + '\r\n'}${'258\r\n' + 'a'.repeat(600) + '\r\n'}0\r\n\r\n`;
    expect(statusOf(await raw(s.port, chunked).reply)).toBe(413);
    const ok = await fetch(`http://127.0.0.1:${s.port}/`, { method: 'POST', body: new Uint8Array(1000) });
    expect(await ok.text()).toBe(`d http://127.0.0.1:${s.port}/ 1000`);
  });

  it('request_timeout_ms and headers_timeout_ms: a client that stalls on its body or its headers gets 408, others are served', async () => {
    const s = await setup();
    await s.put('d', { request_timeout_ms: '1500', headers_timeout_ms: '1000' });
    const slowBody = raw(s.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc', true);
    const slowHeaders = raw(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n', true);
    expect((await fetch(`http://127.0.0.1:${s.port}/`)).status).toBe(200);
    expect(statusOf(await slowHeaders.reply)).toBe(408);
    // the body never completes: the client gets 408 and the call sees its body break off
    expect(statusOf(await slowBody.reply)).toBe(408);
    expect(s.calls).toHaveLength(2);
  });

  it('max_connections: a connection past it is dropped (one warning), the ones in place are served', async () => {
    const s = await setup();
    await s.put('d', { max_connections: '2' });
    const held = [
      raw(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n', true),
      raw(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n', true),
    ];
    await new Promise((r) => held[1]!.socket.once('connect', r));
    const extra = [raw(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'), raw(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')];
    expect(await Promise.all(extra.map((e) => e.reply))).toEqual(['', '']);
    expect(s.warnings.filter((w) => w.includes('max_connections reached'))).toHaveLength(1);
    held[0]!.socket.end('\r\n');
    expect(statusOf(await held[0]!.reply)).toBe(200);
    held[1]!.socket.destroy();
  });
});
