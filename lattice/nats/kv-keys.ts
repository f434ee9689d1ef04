import { Bucket } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';

/**
 * The keys of a KV bucket that start with `prefix`, read with one stream-info request (`subjects_filter`) instead
 * of `kv.keys()`: that one runs an ordered push consumer whose end is only noticed on an idle heartbeat, and under
 * load it was seen to hang for 20–30 s. The list can include keys whose last entry is a delete: read each one.
 */
export async function kvKeys(kv: KV, prefix = ''): Promise<string[]> {
  if (!(kv instanceof Bucket)) {
    const out: string[] = [];
    for await (const k of await kv.keys()) if (k.startsWith(prefix)) out.push(k);
    return out;
  }
  const info = await kv.jsm.streams.info(kv.stream, { subjects_filter: `${kv.prefix}.>` });
  const skip = kv.prefix.length + 1;
  return Object.keys(info.state.subjects ?? {})
    .map((s) => s.slice(skip))
    .filter((k) => k.startsWith(prefix));
}
