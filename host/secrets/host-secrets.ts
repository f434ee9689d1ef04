/**
 * A host's secrets, wired once in `Host`: its identity (self-signed host JWT), the client of the backends on
 * `--secrets-topic`, the secrets of its components and of the links its providers serve.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { ConfigStore } from '../../lattice/index.ts';
import { createHostIdentity, SecretsClient } from '../../lattice/secrets/index.ts';
import type { HostIdentity } from '../../lattice/secrets/index.ts';
import type { ComponentVerifier } from '../workloads/runtime-port.ts';
import { ComponentSecrets } from './component-secrets.ts';
import { LinkSecrets } from './link-secrets.ts';
import { SecretResolver } from './secret-resolver.ts';

export class HostSecrets {
  readonly identity: HostIdentity;
  readonly components: ComponentSecrets;
  readonly links: LinkSecrets;
  constructor(
    o: { hostId: string; friendlyName: string; labels: Record<string, string>; secretsTopic: string },
    d: { nc: NatsConnection; config: ConfigStore },
  ) {
    this.identity = createHostIdentity(o.hostId, o.friendlyName, o.labels);
    const resolver = new SecretResolver({
      client: new SecretsClient(d.nc, { topic: o.secretsTopic }),
      config: d.config,
      identity: this.identity,
    });
    this.components = new ComponentSecrets(resolver);
    this.links = new LinkSecrets(resolver);
  }

  /** `verifier`, noting the claims JWT of every artifact it admits (presented when that component's secrets are fetched). */
  noting(verifier: ComponentVerifier): ComponentVerifier {
    return {
      verify: async (bytes, ctx) => {
        const v = await verifier.verify(bytes, ctx);
        this.components.noteArtifact(ctx.componentId, bytes);
        return v;
      },
    };
  }

  /** Serves `wasmcloud:secrets/*` imports; undefined for any other interface. */
  serveImport(componentId: string, iface: string, func: string, args: unknown[]): Promise<unknown> | undefined {
    return this.components.serveImport(componentId, iface, func, args);
  }
}
