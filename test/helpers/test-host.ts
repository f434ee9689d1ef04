/** In-process hosts wired to a real nats-server, and event recorders, for integration tests. */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { connectNats, CtlClient } from '../../lattice/index.ts';
import type { CloudEvent } from '../../lattice/index.ts';
import type { Host } from '../../host/index.ts';
import { startHost } from '../../host/cli/index.ts';
import type { StartHostOptions } from '../../host/cli/index.ts';
import { check } from './wait.ts';

/** Starts a host in this process against `url` (log level warn unless given). */
export async function startTestHost(url: string, opts: Partial<StartHostOptions> = {}): Promise<Host> {
  return startHost({
    heartbeatIntervalSec: 30,
    logLevel: 'warn',
    allowFileLoad: true,
    allowUnsigned: true,
    ...opts,
    runtime: opts.runtime ?? { workers: 2, maxExecutionTimeMs: 10_000 },
    nats: { url, ...opts.nats },
  });
}

/**
 * A ctl client on its own connection. Its requests wait 10 s (the CLI's default is 2 s): the hosts under test run in
 * the test's own process beside their guest workers, and a CI machine with two test files at once can hold a host's
 * main thread past 2 s (a scale request timed out that way in a clean run); a ctl reply that never comes still fails.
 */
export async function testCtl(url: string, lattice: string): Promise<CtlClient & AsyncDisposable> {
  const nc = await connectNats({ url });
  const ctl = new CtlClient(nc, { lattice, timeoutMs: 10_000 }) as CtlClient & AsyncDisposable;
  ctl[Symbol.asyncDispose] = () => nc.close();
  rawConnections.set(ctl, nc);
  return ctl;
}

const rawConnections = new WeakMap<CtlClient, NatsConnection>();

/**
 * The raw NATS connection under a {@link testCtl} client, for what no client method does on purpose: hostile input
 * published as is, raw requests and subscriptions on lattice subjects, JetStream, wadm's raw API, a Controller.
 * Production code has no way to a CtlClient's connection.
 */
export function rawNatsOf(ctl: CtlClient): NatsConnection {
  const nc = rawConnections.get(ctl);
  if (!nc) throw new Error('rawNatsOf: not a testCtl() client; use the connection you made the CtlClient with');
  return nc;
}

/** Records every event of a lattice; `waitFor` resolves with the first matching one. */
export class EventRecorder {
  readonly events: CloudEvent[];
  readonly #sub: Subscription;
  private constructor(sub: Subscription, events: CloudEvent[]) {
    this.#sub = sub;
    this.events = events;
  }
  /** Records the events of `ctl`'s lattice (or of `lattice` on connection `nc`): the valid CloudEvents, in order. */
  static async start(ctl: CtlClient): Promise<EventRecorder>;
  static async start(nc: NatsConnection, lattice: string): Promise<EventRecorder>;
  static async start(on: CtlClient | NatsConnection, lattice?: string): Promise<EventRecorder> {
    const ctl = on instanceof CtlClient ? on : new CtlClient(on, { lattice });
    const events: CloudEvent[] = [];
    const [sub] = ctl.subscribeEvents((e) => void events.push(e));
    const rec = new EventRecorder(sub!, events);
    await ctl.flush();
    return rec;
  }
  async waitFor(type: string, pred: (e: CloudEvent) => boolean = () => true, ms = 5000): Promise<CloudEvent> {
    return check(() => this.events.find((e) => e.type === `com.wasmcloud.lattice.${type}` && pred(e)), ms);
  }
  stop(): void {
    this.#sub.unsubscribe();
  }
}

/**
 * Scales a component and waits for its outcome event (subscribed before the command is sent).
 * @returns the `component_scaled` or `component_scale_failed` event.
 */
export async function scaleAndWait(
  ctl: CtlClient,
  cmd: {
    host_id: string;
    component_ref: string;
    component_id: string;
    count: number;
    annotations?: Record<string, string>;
    allow_update?: boolean;
  },
  ms = 30_000,
): Promise<CloudEvent> {
  const rec = await EventRecorder.start(ctl);
  try {
    await ctl.scaleComponent({ config: [], ...cmd });
    const match = (e: CloudEvent): boolean =>
      e.data['component_id'] === cmd.component_id && e.data['host_id'] === cmd.host_id;
    return await check(() => rec.events.find((e) => /component_scale(d|_failed)$/.test(e.type) && match(e)), ms);
  } finally {
    rec.stop();
  }
}

/** Like {@link scaleAndWait}, but fails unless the outcome is `component_scaled`. */
export async function assertScaleComponent(
  ctl: CtlClient,
  cmd: Parameters<typeof scaleAndWait>[1],
): Promise<CloudEvent> {
  const e = await scaleAndWait(ctl, cmd);
  if (!e.type.endsWith('component_scaled'))
    throw new Error(`scale of ${cmd.component_id} failed: ${String(e.data['error'])}`);
  return e;
}

/** Starts a provider and waits for `provider_started` (fails on `provider_start_failed`). */
export async function assertStartProvider(
  ctl: CtlClient,
  hostId: string,
  ref: string,
  id: string,
  config: string[] = [],
): Promise<CloudEvent> {
  const rec = await EventRecorder.start(ctl);
  try {
    await ctl.startProvider({ provider_id: id, provider_ref: ref, host_id: hostId, config });
    const e = await check(
      () =>
        rec.events.find(
          (x) =>
            /provider_start(ed|_failed)$/.test(x.type) && x.data['provider_id'] === id && x.data['host_id'] === hostId,
        ),
      15_000,
    );
    if (e.type.endsWith('failed')) throw new Error(`provider ${id} failed: ${String(e.data['error'])}`);
    return e;
  } finally {
    rec.stop();
  }
}
