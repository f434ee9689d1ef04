/**
 * Where a call goes: a component running on this host (no NATS hop), a provider running in this host, or the
 * lattice. The one place that decides it, for calls from in-host providers (http-server, messaging) and for guests'
 * calls on imported interfaces (links/import-router.ts); the Host builds one and hands its two methods on.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { invokeComponent } from '../../lattice/index.ts';
import type { HttpSink, Link } from '../../lattice/index.ts';
import { withCollectedBody } from '../workloads/collect-body.ts';

/** The components of this host, as the dispatcher needs them. */
export interface LocalComponents {
  has(id: string): boolean;
  invoke(
    id: string,
    operation: string,
    args: unknown[],
    traceparent?: string,
    http?: { httpSink?: HttpSink; httpBody?: AsyncIterable<Uint8Array> },
  ): Promise<unknown>;
}
/** The providers running in this host: `undefined` when the target is not one of them (then: the lattice). */
export interface LocalProviders {
  handleImport(
    target: string,
    sourceId: string,
    link: Link,
    iface: string,
    func: string,
    args: unknown[],
  ): Promise<unknown> | undefined;
}

export interface DispatcherDeps {
  lattice: string;
  /** The host's RPC connection (lattice calls). */
  nc: NatsConnection;
  components: () => LocalComponents | undefined;
  providers: () => LocalProviders;
}

/** Options of a call from an in-host provider (`ProviderContext.invoke`). */
export interface DispatchOptions {
  timeoutMs?: number;
  traceparent?: string;
  httpSink?: HttpSink;
  httpBody?: AsyncIterable<Uint8Array>;
}

export class Dispatcher {
  readonly #d: DispatcherDeps;
  constructor(d: DispatcherDeps) {
    this.#d = d;
  }

  /**
   * A provider's call on a component: here when it runs here (an HTTP body streams into the guest), else over the
   * lattice (a streamed body is read into the one message first, within `max_payload`).
   */
  invoke(target: string, op: string, args: unknown[], o?: DispatchOptions): Promise<unknown> {
    const local = this.#d.components();
    if (local?.has(target))
      return local.invoke(target, op, args, o?.traceparent, { httpSink: o?.httpSink, httpBody: o?.httpBody });
    const { nc, lattice } = this.#d;
    return withCollectedBody(args, o?.httpBody, nc.info?.max_payload ?? 1024 * 1024).then((a) =>
      invokeComponent(nc, lattice, target, op, a, { timeoutMs: o?.timeoutMs, traceparent: o?.traceparent }),
    );
  }

  /**
   * A guest's call on a linked import, when its target is on this host: a component, or a provider running in the
   * host; `undefined` when neither (the import router then calls over the lattice).
   */
  invokeLocal(
    target: string,
    c: { sourceId: string; link: Link; iface: string; func: string; args: unknown[]; traceparent?: string },
  ): Promise<unknown> | undefined {
    const local = this.#d.components();
    if (local?.has(target)) return local.invoke(target, `${c.iface}.${c.func}`, c.args, c.traceparent);
    return this.#d.providers().handleImport(target, c.sourceId, c.link, c.iface, c.func, c.args);
  }
}
