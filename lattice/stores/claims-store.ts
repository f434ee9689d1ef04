/** Port: claims of components and providers that hosts have run (`CLAIMS_{subject}` in `LATTICEDATA_{lattice}`). */
export interface ClaimsStore {
  put(subject: string, claims: Record<string, string>): Promise<void>;
  list(): Promise<Record<string, string>[]>;
}
