/** Port: claims of components and providers that hosts have run (`CLAIMS_{subject}` in `LATTICEDATA_{lattice}`). */
export interface ClaimsStore {
  put(subject: string, claims: Record<string, string>): Promise<void>;
  /** The stored entry of a subject; undefined when there is none (or it is unreadable). */
  get(subject: string): Promise<Record<string, string> | undefined>;
  list(): Promise<Record<string, string>[]>;
}
