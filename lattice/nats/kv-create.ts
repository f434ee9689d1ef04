import type { KV, KvOptions, Kvm } from '@nats-io/kv';

/** JetStream answers that mean "busy or still electing leaders, ask again", not "no". */
const TRANSIENT = /timeout|no suitable peers|insufficient resources/i;

/** Whether a JetStream error is one {@link createKvRetrying} retries. */
export function isTransientJsError(err: unknown): boolean {
  return TRANSIENT.test(String((err as Error)?.message));
}

/**
 * `kvm.create(name, opts)`, retrying the answers of a busy JetStream (a request timeout, a cluster still electing
 * its leaders) for up to `retryMs` with a growing pause; any other error, or the last transient one, is thrown.
 * Creating an existing bucket with the same options binds to it, so a retry is safe.
 */
export async function createKvRetrying(kvm: Kvm, name: string, opts: Partial<KvOptions>, retryMs: number): Promise<KV> {
  const deadline = Date.now() + retryMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await kvm.create(name, opts);
    } catch (err) {
      if (!isTransientJsError(err) || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2000, 250 * attempt)));
    }
  }
}
