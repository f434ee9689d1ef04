import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  decodeLink,
  decodeShutdownRequest,
  decodeWireLinkDefinition,
  dropBadInput,
  errorReplyHeaders,
  LatticeErrorCode,
  providerSubject,
  ProviderWireCode,
} from '../../lattice/index.ts';
import type { HostData, Link, LinkDefinition } from '../../lattice/index.ts';

/** What the control subjects of a provider process do. */
export interface ControlHandlers {
  health(): Promise<{ healthy: boolean; message?: string }>;
  /** Stops the process (after the reply is sent). */
  shutdown(): Promise<void>;
  /** A link as sent, its secrets still sealed (`source_secrets`/`target_secrets`). */
  linkPut(l: LinkDefinition): Promise<unknown>;
  linkDel(l: Link): Promise<void>;
}

/**
 * Subscribes to a provider process's control subjects (wasmCloud §5), without a queue group: every instance of the
 * provider (one per host) keeps the links of the lattice and answers health, and only the instance of the host a
 * `default.shutdown` names stops. Each body is validated; a bad one is dropped (rate-limited warning) with an error
 * reply, and nothing sent here ends the process but a shutdown naming its own host.
 */
export function serveProviderControl(nc: NatsConnection, hd: HostData, h: ControlHandlers): Subscription[] {
  const lattice = hd.lattice_rpc_prefix;
  const id = hd.provider_key;
  const routes: [string, (m: Msg) => Promise<void>][] = [
    [providerSubject.health(lattice, id), async (m) => void m.respond(JSON.stringify(await h.health()))],
    [
      providerSubject.shutdown(lattice, id),
      async (m) => {
        if (decodeShutdownRequest(m.data).host_id !== hd.host_id) return; // another host's instance
        m.respond(JSON.stringify({ success: true }));
        await h.shutdown();
      },
    ],
    [
      providerSubject.linkPut(lattice, id),
      async (m) => {
        await h.linkPut(decodeWireLinkDefinition(m.data));
        m.respond('{}');
      },
    ],
    [
      providerSubject.linkDel(lattice, id),
      async (m) => {
        await h.linkDel(decodeLink(m.data));
        m.respond('{}');
      },
    ],
  ];
  return routes.map(([subject, handle]) =>
    nc.subscribe(subject, {
      callback: (_e, m) =>
        void handle(m).catch((err: unknown) => {
          if ((err as { code?: unknown }).code === LatticeErrorCode.BadPayload) dropBadInput(subject, err);
          try {
            m.respond(new Uint8Array(), { headers: errorReplyHeaders(err, ProviderWireCode.Failed) });
          } catch {
            // no reply subject, or the connection is closing
          }
        }),
    }),
  );
}
