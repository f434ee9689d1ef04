/** Baselines measured in the same run as weft's figures: raw Node http and raw NATS request/reply. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { cpus } from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import cluster from 'node:cluster';
import type { NatsConnection } from '@nats-io/transport-node';

/** A raw Node http server answering `body` to every request, on a free loopback port. */
export async function rawNodeHttp(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** A raw NATS responder echoing the request payload on `subject`. */
export function rawNatsEcho(nc: NatsConnection, subject: string): { stop: () => void } {
  const sub = nc.subscribe(subject, {
    callback: (_e, m) => {
      m.respond(m.data);
    },
  });
  return { stop: () => sub.unsubscribe() };
}

/** The raw NATS responder of {@link rawNatsEcho} in its own process (`nats-echo.ts`), like a host on another node. */
export async function rawNatsEchoProcess(url: string, subject: string): Promise<{ stop: () => void }> {
  const file = fileURLToPath(new URL('./nats-echo.ts', import.meta.url));
  const child = spawn(process.execPath, [file, url, subject], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`nats-echo exited with ${code}`)));
  });
  return { stop: () => child.kill('SIGKILL') };
}

/**
 * `jco serve` of a wasi:http component (jco's own Node server), on a free loopback port; the jco-serve baseline.
 * `--isolate-requests instance` gives each request a fresh instance, as weft does: jco serve's default reuses one
 * instance, and a StarlingMonkey (componentize-js) handler then fails every request after the first.
 */
export async function jcoServe(file: string, port: number): Promise<{ url: string; close: () => Promise<void> }> {
  const bin = fileURLToPath(new URL('../../node_modules/@bytecodealliance/jco/dist/jco.js', import.meta.url));
  // its own process group: jco serve runs the server in a child of its own, which a kill of jco alone left running
  const child = spawn(
    process.execPath,
    [bin, 'serve', file, '--port', String(port), '--host', '127.0.0.1', '--isolate-requests', 'instance'],
    { stdio: 'ignore', detached: true },
  );
  const killAll = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(url).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) {
      killAll();
      throw new Error('jco serve did not start');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, close: async () => killAll() };
}

export const CORES = cpus().length;
export { cluster };
