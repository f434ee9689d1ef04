/**
 * Worker-side bindings of interfaces that use resources: `wasi:keyvalue` (the resource objects are
 * handles whose methods call the host, where the linked provider serves them) and `wasmcloud:bus/lattice`.
 */

/** Calls the host for `iface`.`func`; resolves with the value, or rejects with the WIT error value. */
export type HostCall = (iface: string, func: string, args: unknown[]) => Promise<unknown>;

/** Import objects for `wasi:keyvalue/{store,atomics,batch}` (any version). */
export function keyvalueImports(call: HostCall): Record<string, Record<string, unknown>> {
  class Bucket {
    readonly id: string;
    constructor(id: string) {
      this.id = id;
    }
    get(key: string): Promise<unknown> {
      return call('wasi:keyvalue/store', '[method]bucket.get', [this.id, key]);
    }
    set(key: string, value: Uint8Array): Promise<unknown> {
      return call('wasi:keyvalue/store', '[method]bucket.set', [this.id, key, value]);
    }
    delete(key: string): Promise<unknown> {
      return call('wasi:keyvalue/store', '[method]bucket.delete', [this.id, key]);
    }
    exists(key: string): Promise<unknown> {
      return call('wasi:keyvalue/store', '[method]bucket.exists', [this.id, key]);
    }
    async listKeys(cursor: bigint | undefined): Promise<unknown> {
      const r = (await call('wasi:keyvalue/store', '[method]bucket.list-keys', [
        this.id,
        cursor === undefined ? undefined : Number(cursor),
      ])) as { keys: string[]; cursor?: number };
      return { keys: r.keys, cursor: r.cursor === undefined || r.cursor === null ? undefined : BigInt(r.cursor) };
    }
  }
  const id = (b: unknown): string => (b as Bucket).id;
  return {
    'wasi:keyvalue/store': {
      Bucket,
      open: async (identifier: string) => {
        await call('wasi:keyvalue/store', 'open', [identifier]);
        return new Bucket(identifier);
      },
    },
    'wasi:keyvalue/atomics': {
      increment: async (b: unknown, key: string, delta: bigint) =>
        BigInt((await call('wasi:keyvalue/atomics', 'increment', [id(b), key, Number(delta)])) as number),
    },
    'wasi:keyvalue/batch': {
      getMany: (b: unknown, keys: string[]) => call('wasi:keyvalue/batch', 'get-many', [id(b), keys]),
      setMany: (b: unknown, kvs: [string, Uint8Array][]) => call('wasi:keyvalue/batch', 'set-many', [id(b), kvs]),
      deleteMany: (b: unknown, keys: string[]) => call('wasi:keyvalue/batch', 'delete-many', [id(b), keys]),
    },
  };
}

/** `wasmcloud:bus/lattice`: `set-link-name` picks the links the rest of this invocation's calls follow. */
export function busImports(ctx: { linkNames?: Record<string, string> }): Record<string, unknown> {
  class CallTargetInterface {
    readonly key: string;
    constructor(namespace: string, pkg: string, iface: string) {
      this.key = `${namespace}:${pkg}/${iface}`;
    }
  }
  return {
    'wasmcloud:bus/lattice': {
      CallTargetInterface,
      setLinkName: (name: string, interfaces: CallTargetInterface[]) => {
        ctx.linkNames = { ...ctx.linkNames };
        for (const i of interfaces) ctx.linkNames[i.key] = name;
      },
    },
  };
}
