import { unversioned, WitError } from '../../lattice/index.ts';
import type { ResolvedLink } from '../../lattice/index.ts';

/** A key-value backend, as the `wasi:keyvalue` providers need it. */
export interface KvBackend {
  get(bucket: string, key: string): Promise<Uint8Array | undefined>;
  set(bucket: string, key: string, value: Uint8Array): Promise<void>;
  delete(bucket: string, key: string): Promise<void>;
  exists(bucket: string, key: string): Promise<boolean>;
  listKeys(bucket: string, cursor: number | undefined): Promise<{ keys: string[]; cursor?: number }>;
  increment(bucket: string, key: string, delta: number): Promise<number>;
  /** Called by `open`: binds (or creates) the bucket, so a store that cannot be reached fails at `open`. */
  open?(bucket: string): Promise<void>;
}

/** `wasi:keyvalue/store.error::other(msg)`. */
export const kvOther = (err: unknown): WitError =>
  new WitError({ tag: 'other', val: String((err as Error)?.message ?? err) });

const bytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : Uint8Array.from(v as number[]));

/**
 * Dispatches a `wasi:keyvalue/{store,atomics,batch}` call to a backend; `bucketOf` maps the guest's `open`
 * identifier and the link to a backend bucket (see `kv-namespace.ts`) and runs on every call, since each one
 * carries the identifier again; a `WitError` it throws (no-such-store, access-denied, a coded `other`) reaches the
 * guest as is. Backend failures become `error::other`.
 */
export async function dispatchKv(
  backend: KvBackend,
  bucketOf: (identifier: unknown, link: ResolvedLink) => string | Promise<string>,
  link: ResolvedLink,
  iface: string,
  func: string,
  args: unknown[],
): Promise<unknown> {
  const [id, ...rest] = args;
  try {
    const b = await bucketOf(id, link);
    switch (`${unversioned(iface)}#${func}`) {
      case 'wasi:keyvalue/store#open':
        return await backend.open?.(b);
      case 'wasi:keyvalue/store#[method]bucket.get':
        return await backend.get(b, String(rest[0]));
      case 'wasi:keyvalue/store#[method]bucket.set':
        return await backend.set(b, String(rest[0]), bytes(rest[1]));
      case 'wasi:keyvalue/store#[method]bucket.delete':
        return await backend.delete(b, String(rest[0]));
      case 'wasi:keyvalue/store#[method]bucket.exists':
        return await backend.exists(b, String(rest[0]));
      case 'wasi:keyvalue/store#[method]bucket.list-keys':
        return await backend.listKeys(b, rest[0] === undefined || rest[0] === null ? undefined : Number(rest[0]));
      case 'wasi:keyvalue/atomics#increment':
        return await backend.increment(b, String(rest[0]), Number(rest[1]));
      case 'wasi:keyvalue/batch#get-many':
        return await Promise.all(
          (rest[0] as string[]).map(async (k) => {
            const v = await backend.get(b, k);
            return v === undefined ? undefined : [k, v];
          }),
        );
      case 'wasi:keyvalue/batch#set-many':
        for (const [k, v] of rest[0] as [string, unknown][]) await backend.set(b, k, bytes(v));
        return undefined;
      case 'wasi:keyvalue/batch#delete-many':
        for (const k of rest[0] as string[]) await backend.delete(b, k);
        return undefined;
      default:
        throw new WitError({ tag: 'other', val: `unsupported function ${iface}.${func}` });
    }
  } catch (err) {
    if (err instanceof WitError) throw err;
    throw kvOther(err);
  }
}
