import type { ClaimsStore } from '../stores/claims-store.ts';

/** In-memory twin of {@link ClaimsStore}. */
export class MemoryClaimsStore implements ClaimsStore {
  readonly #map = new Map<string, Record<string, string>>();
  put(subject: string, claims: Record<string, string>): Promise<void> {
    this.#map.set(subject, { ...claims });
    return Promise.resolve();
  }
  get(subject: string): Promise<Record<string, string> | undefined> {
    const c = this.#map.get(subject);
    return Promise.resolve(c ? { ...c } : undefined);
  }
  list(): Promise<Record<string, string>[]> {
    return Promise.resolve([...this.#map.values()].map((c) => ({ ...c })));
  }
}
