import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { ctlSubject, fail, LatticeError, parseCtlSubject } from '../../lattice/index.ts';
import type { CtlResponse } from '../../lattice/index.ts';
import type { Host } from '../host.ts';
import { ctlRoutes, QUEUE_RESOURCES } from './router.ts';

const isQueueResource = (r: string): boolean => (QUEUE_RESOURCES as readonly string[]).includes(r);

/**
 * Serves the control interface: one wildcard subscription for host-scoped and broadcast subjects, and one
 * queue-group subscription per lattice-wide resource (link, config, claims), as wasmCloud does.
 */
export class CtlServer {
  readonly #host: Host;
  readonly #subs: Subscription[] = [];

  constructor(host: Host) {
    this.#host = host;
  }

  start(nc: NatsConnection): void {
    const lattice = this.#host.lattice;
    const dispatch = (m: Msg, fromQueue: boolean): void =>
      void this.#dispatch(m, fromQueue).catch((err: unknown) =>
        this.#host.logger.warn({ err: (err as Error).message, subject: m.subject }, 'ctl dispatch failed'),
      );
    this.#subs.push(nc.subscribe(ctlSubject.all(lattice), { callback: (_e, m) => dispatch(m, false) }));
    for (const r of QUEUE_RESOURCES) {
      this.#subs.push(
        nc.subscribe(`${ctlSubject.queue(lattice, r)}.>`, {
          queue: ctlSubject.queue(lattice, r),
          callback: (_e, m) => dispatch(m, true),
        }),
      );
    }
  }

  stop(): void {
    for (const s of this.#subs.splice(0)) s.unsubscribe();
  }

  async #dispatch(msg: Msg, fromQueue: boolean): Promise<void> {
    const parsed = parseCtlSubject(this.#host.lattice, msg.subject);
    if (!parsed) return;
    if (isQueueResource(parsed.resource) !== fromQueue) return; // the other subscription owns it
    const route = ctlRoutes.get(`${parsed.resource}.${parsed.op}`);
    let res: CtlResponse | undefined;
    if (!route) {
      res = fail(`unsupported subject ${msg.subject}: see \`weft --help\` for the control operations`);
    } else if (route.scope === 'host' && parsed.arg !== this.#host.id) {
      return; // addressed to another host
    } else {
      res = await this.#run(msg, route.handler, parsed.arg);
    }
    if (res && msg.reply) {
      try {
        msg.respond(JSON.stringify(res));
      } catch (err) {
        this.#host.logger.warn({ err, subject: msg.subject }, 'cannot send ctl reply');
      }
    }
  }

  async #run(
    msg: Msg,
    handler: NonNullable<ReturnType<typeof ctlRoutes.get>>['handler'],
    arg: string | undefined,
  ): Promise<CtlResponse | undefined> {
    try {
      return await handler(this.#host, { subject: msg.subject, data: msg.data, arg });
    } catch (err) {
      const known = err instanceof LatticeError || (err instanceof Error && 'code' in err);
      if (!known) this.#host.logger.error({ err, subject: msg.subject }, 'ctl handler failed');
      return fail((err as Error).message);
    }
  }
}
