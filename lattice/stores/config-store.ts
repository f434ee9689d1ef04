/** Port: named configuration, a string map per name (`CONFIGDATA_{lattice}` in wasmCloud). */
export interface ConfigStore {
  put(name: string, values: Record<string, string>): Promise<void>;
  /** @returns undefined when no config of that name exists. */
  get(name: string): Promise<Record<string, string> | undefined>;
  /** @returns true when something was deleted. */
  del(name: string): Promise<boolean>;
}
