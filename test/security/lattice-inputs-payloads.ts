/** Hostile payloads shared by the lattice-inputs tests: junk, oversized and forged CloudEvents. */
import type { NatsConnection } from '@nats-io/transport-node';

export const HUGE = 'x'.repeat(600 * 1024);
/** Payloads that are not what any subscriber expects. */
export const JUNK: (string | Uint8Array)[] = [
  '{}',
  'null',
  '[]',
  '{"type":',
  '"str"',
  '17',
  'true',
  '',
  new Uint8Array([0xc1, 0xff, 0x00]),
  `{"a":"${HUGE}"}`,
];
export const event = (type: string, source: string, data: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    specversion: '1.0',
    type: `com.wasmcloud.lattice.${type}`,
    source,
    id: '1',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
    ...extra,
  });
/** Forged events of the right envelope whose data is wrong. */
export const FORGED = [
  event('host_heartbeat', 'x', { host_id: 'x', components: 1 }),
  event('host_heartbeat', 'y', { host_id: 'y', friendly_name: 5, labels: null, components: [null], providers: 'p' }),
  event('host_heartbeat', 'z', null),
  event('host_heartbeat', 'w', {
    host_id: 'w',
    components: [{ id: 'c', max_instances: '<img src=x onerror=alert(1)>', revision: '<b>' }],
  }),
  event('host_heartbeat', 'v', { host_id: 'v', friendly_name: HUGE }),
  event('component_scaled', 'x', {}),
  event('component_scale_failed', 'x', { component_id: { a: 1 }, error: [1] }),
  event('host_started', 7 as unknown as string, {}),
  event('linkdef_set', 'x', {}, { time: 12 }),
  event('host_stopped', 'x', {}, { type: ['x'] }),
  JSON.stringify({ type: 'com.wasmcloud.lattice.host_heartbeat' }),
];
/** Publishes every payload on every subject, then flushes. */
export async function publishAll(
  nc: NatsConnection,
  subjects: string[],
  payloads: (string | Uint8Array)[],
): Promise<void> {
  for (const s of subjects) for (const p of payloads) nc.publish(s, p);
  await nc.flush();
}
