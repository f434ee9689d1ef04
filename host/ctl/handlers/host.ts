import { decodeJsonObject, ok, optNumber } from '../../../lattice/index.ts';
import type { CtlHandler } from '../types.ts';

/** `host.ping`: every host answers with its {@link HostInfo}. */
export const hostPing: CtlHandler = (ctx) => ok(ctx.info());

/** `host.get.{host_id}`: the inventory. */
export const hostGet: CtlHandler = (ctx) => ok(ctx.inventory());

/** `host.stop.{host_id}`: accepted at once; the host drains and publishes `host_stopped`. */
export const hostStop: CtlHandler = (ctx, req) => {
  let timeout: number | undefined;
  if (req.data.length > 0)
    timeout = optNumber(decodeJsonObject(req.data, 'stop host command'), 'timeout', 'stop host command');
  const stop = (): Promise<void> => ctx.stop({ reason: 'ctl', timeoutMs: timeout });
  // after the reply is sent: the stop drains the connection that carries it
  setImmediate(
    () => void stop().catch((err: unknown) => ctx.logger.error({ err: (err as Error).message }, 'host stop failed')),
  );
  return ok(undefined, 'host stopping');
};
