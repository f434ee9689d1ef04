import type { ConfigStore } from '../stores/config-store.ts';

/** In-memory twin of {@link ConfigStore} for unit tests. */
export class MemoryConfigStore implements ConfigStore {
  readonly #map = new Map<string, Record<string, string>>();
  put(name: string, values: Record<string, string>): Promise<void> {
    this.#map.set(name, { ...values });
    return Promise.resolve();
  }
  get(name: string): Promise<Record<string, string> | undefined> {
    const v = this.#map.get(name);
    return Promise.resolve(v ? { ...v } : undefined);
  }
  del(name: string): Promise<boolean> {
    return Promise.resolve(this.#map.delete(name));
  }
}
