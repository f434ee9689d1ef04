/** The wadm-compatible model API for tests, and the wait for a fresh JetStream cluster to take replicated buckets. */
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { wadmSubject } from '../../lattice/apps/index.ts';
import { check } from './wait.ts';

/** A wadm API reply: `result`, `message`, and for `status` the app's `status.status.type`. */
export type WadmReply = Record<string, unknown> & { status?: { status: { type: string; message?: string } } };

/** `api(op, name?, body?)` requests `wadm.api.{lattice}.model.{op}[.{name}]` and returns the JSON reply. */
export function wadmApi(
  nc: NatsConnection,
  lattice: string,
): (op: string, name?: string, body?: string) => Promise<WadmReply> {
  return async (op, name, body = '') =>
    (await nc.request(wadmSubject.api(lattice, op, name), body, { timeout: 5000 })).json<WadmReply>();
}

/** Waits until JetStream on a fresh cluster has a meta leader and can create a bucket with `replicas`. */
export async function jetStreamReady(nc: NatsConnection, name: string, replicas = 3): Promise<void> {
  await check(
    async () => {
      await new Kvm(jetstream(nc)).create(name, { replicas });
      return true;
    },
    30_000,
    250,
  );
}
