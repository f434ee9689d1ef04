import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  decodeLink,
  decodeShutdownRequest,
  decodeWireLinkDefinition,
  dropBadInput,
  errorReplyHeaders,
  LatticeError,
  LatticeErrorCode,
  providerSubject,
  ProviderWireCode,
} from '../../lattice/index.ts';
import type { HostData, Link, LinkDefinition } from '../../lattice/index.ts';
import { xkeyFromSeed } from '../../lattice/secrets/index.ts';

/** What the control subjects of a provider process do. */
export interface ControlHandlers {
  health(): Promise<{ healthy: boolean; message?: string }>;
  /** Stops the process (after the reply is sent). */
  shutdown(): Promise<void>;
  /** A link as its host sent it to this process's xkey subject, its secrets still sealed (`source_secrets`/…). */
  linkPut(l: LinkDefinition): Promise<unknown>;
  /** A link on the provider id's subject (wasmCloud's back-compat copy, never with secrets). @default linkPut */
  linkPutCopy?(l: LinkDefinition): Promise<unknown>;
  linkDel(l: Link): Promise<void>;
}

type Route = [string, (m: Msg) => Promise<void>];

/**
 * `wasmbus.rpc.{lattice}.{provider_xkey}.linkdefs.put` (wasmCloud 1.x): the links this process's host sends it, their
 * secrets sealed to the xkey of its HostData. Absent when the HostData gave no xkeys.
 */
function xkeyRoutes(hd: HostData, h: ControlHandlers): Route[] {
  const seed = hd.provider_xkey_private_key;
  if (!seed) return [];
  return [
    [
      providerSubject.linkPut(hd.lattice_rpc_prefix, xkeyFromSeed(seed).getPublicKey()),
      async (m) => {
        await h.linkPut(decodeWireLinkDefinition(m.data));
        m.respond('{}');
      },
    ],
  ];
}

/**
 * Subscribes to a provider process's control subjects (wasmCloud §5), without a queue group: every instance of the
 * provider (one per host) keeps the links of the lattice (from its host on its xkey subject, copies of links without
 * secrets on the id's; a copy with sealed secrets is refused) and answers health, and only the instance of the host a
 * `default.shutdown` names stops. Each body is validated; a bad one is dropped (rate-limited warning) with an error
 * reply, and nothing sent here ends the process but a shutdown naming its own host.
 */
export function serveProviderControl(nc: NatsConnection, hd: HostData, h: ControlHandlers): Subscription[] {
  const lattice = hd.lattice_rpc_prefix;
  const id = hd.provider_key;
  const routes: Route[] = [
    [providerSubject.health(lattice, id), async (m) => void m.respond(JSON.stringify(await h.health()))],
    [
      providerSubject.shutdown(lattice, id),
      async (m) => {
        if (decodeShutdownRequest(m.data).host_id !== hd.host_id) return; // another host's instance
        m.respond(JSON.stringify({ success: true }));
        await h.shutdown();
      },
    ],
    ...xkeyRoutes(hd, h),
    [
      providerSubject.linkPut(lattice, id),
      async (m) => {
        const l = decodeWireLinkDefinition(m.data);
        if (l.source_secrets || l.target_secrets)
          throw new LatticeError(
            LatticeErrorCode.BadPayload,
            "link secrets: sent on the provider id's subject, where no host sends them (they go to the xkey of the process)",
          );
        await (h.linkPutCopy ?? h.linkPut)(l);
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
