import type { ComponentSpecification } from '../types/link.ts';

/** A change seen by {@link LinkStore.watch}. */
export interface SpecChange {
  sourceId: string;
  /** undefined when the spec was deleted. */
  spec: ComponentSpecification | undefined;
}

/** Port: component specs (with their links) keyed by source id (`COMPONENT_{id}` in `LATTICEDATA_{lattice}`). */
export interface LinkStore {
  getSpec(sourceId: string): Promise<ComponentSpecification | undefined>;
  /** Writes a spec only if it did not change since `revision` was read; false on a conflict. */
  putSpec(sourceId: string, spec: ComponentSpecification, revision: number): Promise<boolean>;
  /** Current spec and its revision (0 when missing). */
  getSpecWithRevision(sourceId: string): Promise<{ spec: ComponentSpecification | undefined; revision: number }>;
  listSpecs(): Promise<Map<string, ComponentSpecification>>;
  /** Calls `onChange` for every existing spec, then for each change, until the returned stop() is called. */
  watch(onChange: (c: SpecChange) => void): Promise<() => void>;
}
