import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { createKvRetrying } from './kv-create.ts';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { bucketName } from '../subjects.ts';

/** The two KV buckets of a lattice (wasmCloud §4), created with defaults if missing. */
export interface LatticeBuckets {
  latticeData: KV;
  configData: KV;
}

/** Options for opening the lattice buckets. */
export interface LatticeBucketOptions {
  /** JetStream domain (leaf nodes). */
  jsDomain?: string;
  /** Replicas when creating a bucket (3 on a 3-node cluster). @default 1 */
  replicas?: number;
  /** How long JetStream timeouts are retried (a cluster still electing leaders). @default 30000 */
  retryMs?: number;
}

/**
 * Opens (creating when missing) `LATTICEDATA_{lattice}` and `CONFIGDATA_{lattice}`.
 * @throws {LatticeError} LAT_STORE when JetStream is not enabled on the server.
 */
export async function openLatticeBuckets(
  nc: NatsConnection,
  lattice: string,
  opts: LatticeBucketOptions = {},
): Promise<LatticeBuckets> {
  const js = jetstream(nc, opts.jsDomain ? { domain: opts.jsDomain } : {});
  const kvm = new Kvm(js);
  // a JetStream cluster that is still electing its leaders (or a busy one) answers with timeouts for a while
  const create = (name: string): Promise<KV> =>
    createKvRetrying(kvm, name, { history: 1, replicas: opts.replicas ?? 1 }, opts.retryMs ?? 30_000).catch(
      (err: unknown) => {
        throw bucketError(name, err);
      },
    );
  const bucketError = (name: string, err: unknown): LatticeError =>
    new LatticeError(LatticeErrorCode.Store, `cannot open KV bucket ${name}: ${(err as Error).message}`, {
      cause: err,
      hint: 'the NATS server needs JetStream enabled (nats-server -js); `weft up` starts one that has it',
    });
  return {
    latticeData: await create(bucketName.latticeData(lattice)),
    configData: await create(bucketName.configData(lattice)),
  };
}
