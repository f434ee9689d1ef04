/**
 * Main thread side of HTTP served in the guest workers (`WorkerHttpPort`): one MessagePort per worker; what each
 * address listens with (the provider's module and routes) goes to every worker, and again to a worker that replaces
 * one; a bind error in any worker undoes the address in all; requests a worker passes on go to the provider's relay.
 */
import { createServer } from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { HttpHandler, ProviderContext, WorkerHttpPort } from '../../lattice/index.ts';
import type { HttpFromWorker, HttpPortMessage, HttpToWorker } from './worker-http-protocol.ts';

interface Spec {
  spec: unknown;
  module: string;
  relay: HttpHandler;
  log: ProviderContext['log'];
}
interface Peer {
  port: MessagePort;
  waits: Map<number, (m: Extract<HttpFromWorker, { k: 'done' }>) => void>;
}

/** A worker answers `listen`/`close` within this, or is taken to be busy in a guest (it gets the message later). */
const ANSWER_MS = 5000;

/** Errors with the code of the failed bind (EADDRINUSE, EACCES, …) and what to do. */
const bindError = (address: string, code: string | undefined, message: string): Error =>
  Object.assign(
    new Error(`http-server cannot listen on ${address}: ${message}; pick a free address in the link's source config`),
    {
      code: code ?? 'HOST_HTTP_LISTEN',
    },
  );

export class WorkerHttp implements WorkerHttpPort {
  readonly #limitMs: number;
  readonly #peers = new Map<Worker, Peer>();
  readonly #specs = new Map<string, Spec>();
  #seq = 0;

  constructor(limitMs: number) {
    this.#limitMs = limitMs;
  }

  /** A new guest worker: gets its port and every address being served. */
  attach(worker: Worker): void {
    const { port1, port2 } = new MessageChannel();
    const peer: Peer = { port: port1, waits: new Map() };
    this.#peers.set(worker, peer);
    port1.on('message', (m: HttpFromWorker) => this.#onMessage(peer, m));
    port1.unref();
    worker.postMessage({ t: 'httpPort', port: port2, limitMs: this.#limitMs } satisfies HttpPortMessage, [port2]);
    worker.once('exit', () => {
      this.#peers.delete(worker);
      port1.close();
      for (const w of peer.waits.values()) w({ k: 'done', id: 0, ok: true });
    });
    for (const [address, s] of this.#specs)
      void this.#ask(peer, (id) => ({ k: 'listen', id, address, spec: s.spec, module: s.module })).then((r) => {
        if (!r.ok)
          s.log.error({ address, code: r.code, err: r.message }, 'http-server: a new guest worker cannot listen');
      });
  }

  async listen(
    address: string,
    spec: unknown,
    module: string,
    o: { relay: HttpHandler; log: ProviderContext['log']; exclusive?: boolean },
  ): Promise<void> {
    const first = !this.#specs.has(address);
    if (first && o.exclusive) await probe(address);
    this.#specs.set(address, { spec, module, relay: o.relay, log: o.log });
    const peers = [...this.#peers.values()];
    const answers = await Promise.all(
      peers.map((p) => this.#ask(p, (id) => ({ k: 'listen', id, address, spec, module }))),
    );
    const bad = answers.find((a) => !a.ok);
    if (!bad) return;
    if (first) await this.close(address);
    throw bindError(address, bad.code, bad.message ?? 'failed');
  }

  async close(address: string): Promise<void> {
    this.#specs.delete(address);
    await Promise.all([...this.#peers.values()].map((p) => this.#ask(p, (id) => ({ k: 'close', id, address }))));
  }

  #ask(peer: Peer, msg: (id: number) => HttpToWorker): Promise<Extract<HttpFromWorker, { k: 'done' }>> {
    const id = ++this.#seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done({ k: 'done', id, ok: true }), ANSWER_MS).unref();
      const done = (m: Extract<HttpFromWorker, { k: 'done' }>): void => {
        clearTimeout(timer);
        peer.waits.delete(id);
        resolve(m);
      };
      peer.waits.set(id, done);
      peer.port.postMessage(msg(id));
    });
  }

  #onMessage(peer: Peer, m: HttpFromWorker): void {
    if (m.k === 'done') return peer.waits.get(m.id)?.(m);
    const s = this.#specs.get(m.address);
    if (m.k === 'log') return void s?.log[m.level]?.({ address: m.address, ...m.obj }, m.msg);
    const answer = (r: Extract<HttpToWorker, { k: 'relayed' }>): void => peer.port.postMessage(r);
    if (!s)
      return answer({ k: 'relayed', rid: m.rid, ok: false, code: 'HOST_NOT_FOUND', message: `${m.address} is closed` });
    const body = m.body
      ? (async function* () {
          yield m.body as Uint8Array;
        })()
      : undefined;
    s.relay(m.target, m.head, body, { timeoutMs: m.timeoutMs, traceparent: m.traceparent }).then(
      async (a) => {
        let bytes: Uint8Array;
        if (a.body instanceof Uint8Array) bytes = a.body;
        else {
          const parts: Uint8Array[] = [];
          for await (const c of a.body) parts.push(c);
          bytes = Buffer.concat(parts);
        }
        answer({ k: 'relayed', rid: m.rid, ok: true, status: a.status, headers: a.headers, body: bytes });
      },
      (err: unknown) => {
        const e = err as Error & { code?: string };
        answer({ k: 'relayed', rid: m.rid, ok: false, code: e.code, message: e.message });
      },
    );
  }
}

/**
 * Fails unless `address` is free: the workers bind it with SO_REUSEPORT, which the kernel would also let them share
 * with another process of this user that did the same. (Between this check and the workers' bind is a short window.)
 */
function probe(address: string): Promise<void> {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
  const port = Number(address.slice(i + 1));
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', (err: Error & { code?: string }) => reject(bindError(address, err.code, err.message)));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve()));
  });
}
