/** wasmCloud 1.x control-interface `Link` (`crates/control-interface/src/types/link.rs`). */
export interface Link {
  source_id: string;
  target: string;
  /** Link name. @default 'default' */
  name: string;
  wit_namespace: string;
  wit_package: string;
  interfaces: string[];
  /** Names of named configs (not values). */
  source_config: string[];
  target_config: string[];
}

/** `link.del` body. */
export interface DeleteLinkRequest {
  source_id: string;
  name: string;
  wit_namespace: string;
  wit_package: string;
}

/** `COMPONENT_{id}` value in `LATTICEDATA_{lattice}`: links live on the source's spec. */
export interface ComponentSpecification {
  url: string;
  links: Link[];
}
