/**
 * @module lattice/client
 * The light entry of lattice/ for short-lived clients such as the `weft` CLI: the control-interface client, coded
 * errors, subjects, event types and the id rule. Importing it loads no NATS code; `connectNats` loads the NATS client on its first
 * call. `index.ts` is the whole folder (JetStream, KV, Object Store, msgpackr, the nats-server launcher), about
 * 40 ms and 13 MB more before a command has done anything.
 *
 * ```ts
 * import { connectNats, CtlClient } from './lattice/client.ts';
 * const nc = await connectNats({ url: 'nats://127.0.0.1:4222' });
 * console.log(await new CtlClient(nc, { lattice: 'default' }).getHosts());
 * await nc.close();
 * ```
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsConnectOptions } from './nats/connect.ts';

export { CtlClient } from './ctl-client.ts';
export { LatticeError, LatticeErrorCode } from './errors.ts';
export { ctlSubject, evtSubject, rpcSubject } from './subjects.ts';
export { EventType } from './types/event.ts';
export { ID_RULE, isValidId, badIdMessage } from './ids.ts';
export { MAX_INSTANCES_CEILING } from './codec.ts';

/** The `connectNats` of `index.ts`, loading the NATS client only when called. */
export async function connectNats(opts: NatsConnectOptions = {}): Promise<NatsConnection> {
  const { connectNats: connect } = await import('./nats/connect.ts');
  return connect(opts);
}
