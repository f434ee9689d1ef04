/**
 * Worker-side binding of `wasmcloud:secrets/{store,reveal}@0.1.0-draft`: a `secret` resource is a handle holding the
 * secret's name; `get` asks the host whether this component has that secret, `reveal` fetches its value from the host
 * (host/secrets/component-secrets.ts). The value crosses into the worker only when the guest reveals it.
 */
import type { HostCall } from './capability-imports.ts';

export function secretsImports(call: HostCall): Record<string, Record<string, unknown>> {
  class Secret {
    readonly key: string;
    constructor(key: string) {
      this.key = key;
    }
  }
  return {
    'wasmcloud:secrets/store': {
      Secret,
      get: async (key: string) => {
        await call('wasmcloud:secrets/store', 'get', [key]);
        return new Secret(key);
      },
    },
    'wasmcloud:secrets/reveal': {
      reveal: (s: unknown) => call('wasmcloud:secrets/reveal', 'reveal', [(s as Secret).key]),
    },
  };
}
