/**
 * The readiness handshake of a provider process, over NATS (it replaced the host scanning the child's stderr for a
 * log line). The host subscribes to `wasmbus.rpc.{lattice}.{provider_id}.ready.{instance_id}` before it spawns the
 * process, with the instance id in HostData; the process requests it once it serves its subjects, and the host's
 * reply tells it it was heard. Another process that knows the subject can only make the host think it is ready
 * early: the report must name the provider and instance the host started, and is dropped otherwise.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { dropBadInput } from '../bad-input.ts';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { providerSubject } from '../subjects.ts';
import { asObject, id, parseJson } from '../types/limits.ts';

/** What a provider process reports when it serves. */
export interface ReadyReport {
  provider_id: string;
  instance_id: string;
  host_id: string;
}

/** Validates a ready report. @throws {LatticeError} LAT_BAD_PAYLOAD naming the field. */
export function decodeReadyReport(data: Uint8Array | string): ReadyReport {
  const w = 'provider ready report';
  const o = asObject(parseJson(data, w), w);
  return { provider_id: id(o, 'provider_id', w), instance_id: id(o, 'instance_id', w), host_id: id(o, 'host_id', w) };
}

/** The host's side: a wait for one instance's report, subscribed (and flushed) before the process is started. */
export interface ReadyWait {
  /** Resolves when the instance reported; rejects on timeout or {@link ReadyWait.fail}. */
  readonly ready: Promise<void>;
  /** Ends the wait with `err` (e.g. the process exited first). */
  fail(err: Error): void;
}

/** Starts waiting for `instanceId` of `providerId` on this host (`hostId`) to report ready, at most `timeoutMs`. */
export async function awaitProviderReady(
  nc: NatsConnection,
  w: { lattice: string; providerId: string; instanceId: string; hostId: string; timeoutMs: number },
): Promise<ReadyWait> {
  const subject = providerSubject.ready(w.lattice, w.providerId, w.instanceId);
  let settle!: (err?: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  ready.catch(() => undefined); // the caller awaits it; a failure before that is not unhandled
  const timer = setTimeout(
    () =>
      settle(
        new LatticeError(
          LatticeErrorCode.Timeout,
          `provider ${w.providerId} (instance ${w.instanceId}) did not report ready in ${w.timeoutMs} ms`,
        ),
      ),
    w.timeoutMs,
  );
  const sub = nc.subscribe(subject, {
    callback: (_e, m) => {
      try {
        const r = decodeReadyReport(m.data);
        if (r.provider_id !== w.providerId || r.instance_id !== w.instanceId || r.host_id !== w.hostId)
          throw new Error('the report names another provider, instance or host');
        m.respond(JSON.stringify({ accepted: true }));
        settle();
      } catch (err) {
        dropBadInput(subject, err);
      }
    },
  });
  void ready
    .catch(() => undefined)
    .finally(() => {
      clearTimeout(timer);
      if (!sub.isClosed()) sub.unsubscribe();
    });
  await nc.flush();
  return { ready, fail: (err) => settle(err) };
}

/**
 * The provider's side: reports ready until the host answers (`attempts` tries of `timeoutMs` each).
 * @returns false when no host answered (a process started by hand, or its host is gone).
 */
export async function announceReady(
  nc: NatsConnection,
  r: ReadyReport & { lattice: string },
  opts: { attempts?: number; timeoutMs?: number } = {},
): Promise<boolean> {
  const subject = providerSubject.ready(r.lattice, r.provider_id, r.instance_id);
  const body = JSON.stringify({ provider_id: r.provider_id, instance_id: r.instance_id, host_id: r.host_id });
  for (let i = 0; i < (opts.attempts ?? 3); i++) {
    try {
      const m = await nc.request(subject, body, { timeout: opts.timeoutMs ?? 2000 });
      const o = asObject(parseJson(m.data, 'ready reply'), 'ready reply');
      if (o['accepted'] === true) return true;
    } catch {
      await new Promise((res) => setTimeout(res, 100 * 2 ** i)); // no responder yet, or no answer: ask again
    }
  }
  return false;
}
