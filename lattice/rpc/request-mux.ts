/**
 * Request/reply for lattice calls over one wildcard inbox subscription per connection. nats.js's own `request()`
 * builds a stack-traced `RequestError("cancelled")` for every request that succeeds (its `RequestOne.cancel`): 8.6%
 * of a host's main thread under lattice calls in the profile. This mux keeps the same protocol (one SUB, a reply
 * subject per call, 503 no-responders status) without that.
 */
import { createInbox } from '@nats-io/transport-node';
import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';

interface Pending {
  resolve: (m: Msg) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Why a request failed: nobody listens on the subject, or no answer in time. */
export class MuxRequestError extends Error {
  readonly kind: 'no-responders' | 'timeout';
  constructor(kind: 'no-responders' | 'timeout', message: string) {
    super(message);
    this.kind = kind;
  }
}

class RequestMux {
  readonly #nc: NatsConnection;
  readonly #prefix = createInbox();
  readonly #pending = new Map<string, Pending>();
  readonly #sub: Subscription;
  #seq = 0;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#sub = nc.subscribe(`${this.#prefix}.*`, {
      callback: (_err, m) => {
        const token = m.subject.slice(this.#prefix.length + 1);
        const p = this.#pending.get(token);
        if (!p) return;
        this.#pending.delete(token);
        clearTimeout(p.timer);
        if (m.headers?.code === 503 && m.data.length === 0)
          p.reject(new MuxRequestError('no-responders', `no responders for ${m.subject}`));
        else p.resolve(m);
      },
    });
    void this.#sub.closed.then(() => {
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error('connection closed'));
      }
      this.#pending.clear();
      muxes.delete(nc);
    });
  }

  request(subject: string, data: Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<Msg> {
    const token = (++this.#seq).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        reject(new MuxRequestError('timeout', `request to ${subject} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(token, { resolve, reject, timer });
      try {
        this.#nc.publish(subject, data, { reply: `${this.#prefix}.${token}`, headers });
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(token);
        reject(err as Error);
      }
    });
  }
}

const muxes = new WeakMap<NatsConnection, RequestMux>();

/** Sends a request on `nc` through its shared reply mux (created on first use). */
export function muxRequest(
  nc: NatsConnection,
  subject: string,
  data: Uint8Array,
  timeoutMs: number,
  headers?: MsgHdrs,
): Promise<Msg> {
  let mux = muxes.get(nc);
  if (!mux) {
    mux = new RequestMux(nc);
    muxes.set(nc, mux);
  }
  return mux.request(subject, data, timeoutMs, headers);
}
