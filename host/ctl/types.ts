import type { CtlResponse } from '../../lattice/index.ts';
import type { Host } from '../host.ts';

/** Who answers a control subject: only the host named in the subject, every host, or one host of a queue group. */
export type CtlScope = 'host' | 'broadcast' | 'queue';

/** A control request after routing. */
export interface CtlRequest {
  subject: string;
  data: Uint8Array;
  /** The subject's trailing argument (host id, config name), if any. */
  arg: string | undefined;
}

/** A handler returns the envelope, or undefined to stay silent (e.g. an auction this host does not qualify for). */
export type CtlHandler = (host: Host, req: CtlRequest) => Promise<CtlResponse | undefined> | CtlResponse | undefined;

/** One row of the routing table. */
export interface CtlRoute {
  scope: CtlScope;
  handler: CtlHandler;
}
