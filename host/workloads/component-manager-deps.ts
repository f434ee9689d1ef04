/** What the component manager is configured with and wired to. */
import type { NatsConnection } from '@nats-io/transport-node';
import type { ArtifactStore } from '../../lattice/index.ts';
import type { HostMetrics } from '../admin/metrics.ts';
import type { Tracer } from '../admin/tracing.ts';
import type { Logger } from '../logger.ts';
import type { FetchArtifactOptions } from './artifact-loader.ts';
import type { ComponentVerifier, RuntimePort } from './runtime-port.ts';
import type { PolicyPort } from './claims-verifier.ts';

/** Limits and switches of the component manager (host flags; `oci`: insecure registries and credentials of pulls). */
export interface ComponentManagerOptions extends Pick<FetchArtifactOptions, 'allowFileLoad' | 'oci'> {
  lattice: string;
  hostId: string;
  maxComponentSizeBytes: number;
  maxComponents: number;
}

/** What the manager is wired to. */
export interface ComponentManagerDeps {
  nc: NatsConnection;
  runtime: RuntimePort;
  verifier: ComponentVerifier;
  artifacts?: ArtifactStore;
  publish: (type: string, data: Record<string, unknown>) => void;
  logger: Logger;
  metrics?: HostMetrics;
  /** Opens a span per invocation (trace context for logs, imports and calls it makes). */
  tracer?: Tracer;
  /** When set, every incoming invocation is checked (`performInvocation`, decisions cached per component and function). */
  policy?: PolicyPort;
  /** Fetches the secrets (`SECRET_…` configs) of a component before it starts or is updated (host/secrets/). */
  secrets?: {
    load(id: string, config: string[], annotations: Record<string, string>): Promise<void>;
    forget(id: string): void;
  };
}
