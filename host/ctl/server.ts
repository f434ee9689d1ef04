import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { ctlSubject, errorCodeOf, fail, parseCtlSubject } from '../../lattice/index.ts';
import type { CtlResponse } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import { ctlRoutes, QUEUE_RESOURCES } from './router.ts';
import type { CtlContext, CtlHandler, CtlRequest } from './types.ts';

/**
 * Runs one handler: a coded error it throws (HostError, LatticeError, or any error with a string `code`) becomes a
 * `success:false` reply carrying its message (which starts with `[CODE]`); anything else is also logged.
 */
export async function runCtlHandler(
  ctx: CtlContext,
  handler: CtlHandler,
  req: CtlRequest,
): Promise<CtlResponse | undefined> {
  try {
    return await handler(ctx, req);
  } catch (err) {
    if (errorCodeOf(err) === undefined) ctx.logger.error({ err, subject: req.subject }, 'ctl handler failed');
    return fail(err instanceof Error ? err.message : String(err));
  }
}

const isQueueResource = (r: string): boolean => (QUEUE_RESOURCES as readonly string[]).includes(r);

/**
 * Serves the control interface: one wildcard subscription for host-scoped and broadcast subjects, and one
 * queue-group subscription per lattice-wide resource (link, config, claims), as wasmCloud does.
 */
export class CtlServer {
  readonly #host: CtlContext;
  readonly #subs: Subscription[] = [];

  constructor(host: CtlContext) {
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
      res = fail(
        new HostError(
          HostErrorCode.Unsupported,
          `unsupported subject ${msg.subject}: see \`weft --help\` for the control operations`,
        ).message,
      );
    } else if (route.scope === 'host' && parsed.arg !== this.#host.id) {
      return; // addressed to another host
    } else {
      res = await runCtlHandler(this.#host, route.handler, { subject: msg.subject, data: msg.data, arg: parsed.arg });
    }
    if (res && msg.reply) {
      try {
        msg.respond(JSON.stringify(res));
      } catch (err) {
        this.#host.logger.warn({ err, subject: msg.subject }, 'cannot send ctl reply');
      }
    }
  }
}
